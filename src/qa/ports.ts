import type { REST } from 'discord.js';
import type { ActivitySink } from '../activity/sink.ts';
import type { Db } from '../db/database.ts';
import type { Clock, Deps } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import type { QaSetup } from './qa-config.ts';
import type { ReputationSetup } from '../reputation/reputation-config.ts';

/** What the Q&A services use: passed in by commands and jobs, never imported as globals. */
export interface QaPorts {
  db: Db;
  rest: REST;
  qa: QaSetup;
  guildId: string;
  clock: Clock;
  logger: Logger;
  outbox: Deps['outbox'];
  /** Activity capture (question asked, solution); absent in tools that record nothing. */
  activity?: ActivitySink;
  /** Daily caps for solution points (reputation file, days in the community zone); uncapped when absent. */
  caps?: PointCaps;
}

export interface PointCaps {
  reputation: ReputationSetup;
  timeZone: string;
}

export const HOUR_MS = 3_600_000;
