import type { Config } from '../config.ts';

/** Challenges are on when CHALLENGE_CHANNEL_ID is set. */
export interface ChallengeSetup {
  readonly channelId: string;
  /** Held by the monthly champion; rotates on the 1st in `timezone`. */
  readonly championRoleId: string | undefined;
  /** The community's zone (REPORT_TIMEZONE): modal dates are read in it, months roll over in it. */
  readonly timezone: string;
}

export function challengeSetup(config: Config): ChallengeSetup | null {
  if (!config.challengeChannelId) return null;
  return Object.freeze({ channelId: config.challengeChannelId, championRoleId: config.challengeChampionRoleId, timezone: config.reportTimezone });
}
