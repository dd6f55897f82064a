import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');
const cap = z.number().int().positive().nullable();

const schema = z.object({
  points: z
    .object({
      postApproved: z.number().int().min(0).default(15),
      /** Points the author gets per rating, by stars ("1".."5"); a changed rating moves them. */
      ratingReceived: z.record(z.enum(['1', '2', '3', '4', '5']), z.number().int().min(0)).default({ '1': 0, '2': 0, '3': 1, '4': 2, '5': 3 }),
    })
    .default({ postApproved: 15, ratingReceived: { '1': 0, '2': 0, '3': 1, '4': 2, '5': 3 } }),
  /** Most points a member may earn per source per day (in REPORT_TIMEZONE); null = no cap. */
  dailyCaps: z
    .object({ qa_solution: cap.default(100), post_approved: cap.default(45), rating: cap.default(30), challenge: cap.default(null) })
    .default({ qa_solution: 100, post_approved: 45, rating: 30, challenge: null }),
  /** Ratings from accounts younger than this earn their post's author nothing. */
  minAccountAgeDays: z.number().min(0).default(7),
  /** Content value: Bayesian prior weight m (in ratings) and the half-life of time decay. */
  value: z.object({ m: z.number().positive().default(5), halfLifeDays: z.number().positive().default(30) }).default({ m: 5, halfLifeDays: 30 }),
  /** Points needed for level n: round(base * n^exponent). */
  levels: z.object({ base: z.number().positive().default(50), exponent: z.number().min(1).max(3).default(1.5), max: z.number().int().min(1).max(1000).default(100) }).default({ base: 50, exponent: 1.5, max: 100 }),
  /** Roles held from a level on; separate from tier roles. */
  rewardRoles: z.array(z.object({ level: z.number().int().min(1), roleId: snowflake })).default([]),
});

export type ReputationSetup = Readonly<z.infer<typeof schema>>;

export class ReputationConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid reputation file:\n${problems.join('\n')}`);
    this.name = 'ReputationConfigError';
  }
}

export function parseReputationSetup(json: unknown, tierRoleIds: readonly string[]): ReputationSetup {
  const result = schema.safeParse(json);
  if (!result.success) throw new ReputationConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'the file'} ${i.message}`));
  const tierRoles = new Set(tierRoleIds);
  const problems = result.data.rewardRoles
    .filter((r) => tierRoles.has(r.roleId))
    .map((r) => `rewardRoles uses role ${r.roleId}, which is a tier role: reward roles must be separate`);
  if (problems.length) throw new ReputationConfigError(problems);
  return Object.freeze(result.data);
}

/** The file is optional: without it the defaults apply. */
export async function loadReputationSetup(file: string, tierRoleIds: readonly string[]): Promise<ReputationSetup> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseReputationSetup({}, tierRoleIds);
    throw new ReputationConfigError([`${file} cannot be read: ${(error as Error).message}`]);
  }
  try {
    return parseReputationSetup(JSON.parse(text), tierRoleIds);
  } catch (error) {
    if (error instanceof SyntaxError) throw new ReputationConfigError([`${file} is not valid JSON: ${error.message}`]);
    throw error;
  }
}
