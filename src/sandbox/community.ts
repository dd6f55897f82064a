import { SAMPLE } from './discord/index.ts';

/** The sandbox community's content file (what an owner writes in content.json). */
export const SANDBOX_POSTS = {
  limits: { titleMax: 100, bodyMin: 30, bodyMax: 4000 },
  rateLimit: { posts: 5, perHours: 24 },
  tierChannels: { Pro: SAMPLE.channels.proLounge },
};

/** The sandbox community's reputation file (reputation.json). */
export const SANDBOX_REPUTATION = {
  points: { postApproved: 15, ratingReceived: { '1': 0, '2': 0, '3': 1, '4': 2, '5': 3 } },
  dailyCaps: { qa_solution: 100, post_approved: 45, rating: 30, challenge: null },
  minAccountAgeDays: 7,
  value: { m: 5, halfLifeDays: 30 },
  levels: { base: 10, exponent: 1.5, max: 100 },
  rewardRoles: [
    { level: 1, roleId: SAMPLE.roles.contributor },
    { level: 5, roleId: SAMPLE.roles.veteran },
  ],
};
