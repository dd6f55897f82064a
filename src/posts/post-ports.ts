import type { REST } from 'discord.js';
import type { ActivitySink } from '../activity/sink.ts';
import type { Db } from '../db/database.ts';
import type { Clock, Deps } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import type { Policy } from '../membership/entitlement.ts';
import type { Tiers } from '../membership/tiers.ts';
import type { ReputationSetup } from '../reputation/reputation-config.ts';
import { postsOf } from './post-access.ts';
import type { PostsSetup } from './posts-config.ts';

/** What the post services use: passed in by commands and jobs, never imported as globals. */
export interface PostPorts {
  db: Db;
  rest: REST;
  setup: PostsSetup;
  clock: Clock;
  logger: Logger;
  outbox: Deps['outbox'];
  activity: ActivitySink;
  reputation: ReputationSetup;
  /** REPORT_TIMEZONE: the day the daily points caps count in. */
  timeZone: string;
  tiers: Tiers;
  policy: Policy;
}

export function postPorts(deps: Deps, rest: REST): PostPorts {
  return {
    db: deps.db, rest, setup: postsOf(deps), clock: deps.clock, logger: deps.logger.child({ feature: 'posts' }), outbox: deps.outbox,
    activity: deps.activity, reputation: deps.reputation, timeZone: deps.config.reportTimezone, tiers: deps.tiers, policy: deps.policy,
  };
}
