import { SAMPLE } from './discord/index.ts';

/** The sandbox community's Q&A file (what an owner writes in qa.json). */
export const SANDBOX_QA = {
  topics: [
    { name: 'typescript', expertRoleId: SAMPLE.roles.tsExperts, description: 'TypeScript and Node.js' },
    { name: 'rust', expertRoleId: SAMPLE.roles.rustExperts, description: 'Rust' },
  ],
  askers: ['Supporter', 'Pro', 'Founder'],
  priorityTiers: { Pro: 4 },
  reminderHours: 12,
  nudgeDays: 3,
  staleDays: 14,
  archiveHours: 24,
  rateLimit: { questions: 3, perHours: 24 },
  solutionPoints: 10,
};
