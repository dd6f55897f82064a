// The scheduled side of leaderboards (issue 5): the edited board message in CHALLENGE_CHANNEL_ID and,
// with CHALLENGE_CHAMPION_ROLE_ID set, the monthly champion. Both run on CHALLENGE_CRON and do nothing
// when there is nothing to do, so a frequent cron costs a few indexed reads.
import type { REST } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import type { Job } from '../jobs/scheduler.ts';
import { rotateChampion } from './champion-rotation.ts';
import { refreshLeaderboardMessage } from './leaderboard-message.ts';

export type LeaderboardJobDeps = Pick<Deps, 'db' | 'config' | 'challenges' | 'clock' | 'logger' | 'outbox'>;

export function leaderboardJobs(deps: LeaderboardJobDeps, rest: REST): Job[] {
  const setup = deps.challenges;
  if (!setup) return [];
  const logger = deps.logger.child({ feature: 'leaderboard' });
  const jobs: Job[] = [
    { name: 'challenge-leaderboard', cron: deps.config.challengeCron, run: () => refreshLeaderboardMessage({ db: deps.db, rest, clock: deps.clock, logger }, setup) },
  ];
  const roleId = setup.championRoleId;
  if (roleId) {
    jobs.unshift({
      name: 'challenge-champion',
      cron: deps.config.challengeCron,
      run: () => rotateChampion({ db: deps.db, clock: deps.clock, logger, outbox: deps.outbox }, { timezone: setup.timezone, championRoleId: roleId }),
    });
  }
  return jobs;
}
