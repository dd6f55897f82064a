// Every feature's scheduled jobs, in one list for the scheduler. Each job calls one feature
// function; features that are off (no channel configured) contribute none.
import type { REST } from 'discord.js';
import { activityJobs } from '../activity/prune.ts';
import { challengeJobs } from '../challenges/challenge-schedule.ts';
import { leaderboardJobs } from '../challenges/leaderboard-jobs.ts';
import type { Deps } from '../discord/command.ts';
import type { MembershipRuntime } from '../membership/runtime.ts';
import { syncDuePosts } from '../posts/post-publish.ts';
import { runQaFollowUps } from '../qa/follow-up.ts';
import { digestJobs } from '../reports/digest-job.ts';
import type { DigestPorts } from '../reports/digest-post.ts';
import { reputationJobs } from '../reputation/levels-job.ts';
import type { Job } from './scheduler.ts';

export function featureJobs(deps: Deps, rest: REST, membership: MembershipRuntime, digestPorts: DigestPorts): Job[] {
  const { db, clock, config, logger, qa, posts, reputation } = deps;
  const outbox = { kick: membership.kickOutbox };
  const qaJobs: Job[] = qa ? [{ name: 'qa-follow-up', cron: config.qaFollowUpCron, run: () => runQaFollowUps({ db, rest, qa, clock, logger: logger.child({ feature: 'qa' }), outbox }) }] : [];
  const postJobs: Job[] = posts ? [{ name: 'posts-publish', cron: '* * * * *', run: () => syncDuePosts({ db, rest, setup: posts, clock, logger: logger.child({ feature: 'posts' }) }) }] : [];
  return [
    ...membership.jobs,
    ...qaJobs,
    ...postJobs,
    ...challengeJobs(deps),
    ...leaderboardJobs(deps, rest),
    ...reputationJobs({ db, reputation, clock, logger: logger.child({ feature: 'reputation' }), outbox }),
    ...activityJobs({ db, clock, logger: logger.child({ feature: 'activity' }), retentionDays: config.activityRetentionDays }),
    ...digestJobs(digestPorts),
  ];
}
