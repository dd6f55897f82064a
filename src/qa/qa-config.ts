import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');

const schema = z.object({
  topics: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(20, 'must be at most 20 characters (a forum tag name)'),
        expertRoleId: snowflake,
        description: z.string().trim().max(100).optional(),
      }),
    )
    .min(1, 'needs at least one topic')
    .max(20, 'can hold at most 20 topics (a forum holds 20 tags, one is "Solved")'),
  /** Tier names that may ask, or "everyone". */
  askers: z.union([z.literal('everyone'), z.array(z.string().min(1)).min(1)]).default('everyone'),
  /** Tier name -> hours before the unanswered reminder (sooner than reminderHours). */
  priorityTiers: z.record(z.string(), z.number().positive()).default({}),
  reminderHours: z.number().positive().default(12),
  nudgeDays: z.number().positive().default(3),
  staleDays: z.number().positive().default(14),
  archiveHours: z.number().min(0).default(24),
  rateLimit: z.object({ questions: z.number().int().positive(), perHours: z.number().positive() }).default({ questions: 3, perHours: 24 }),
  solutionPoints: z.number().int().min(0).default(10),
});

export type QaSetup = Readonly<z.infer<typeof schema>> & { readonly channelId: string };

export class QaConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Q&A file:\n${problems.join('\n')}`);
    this.name = 'QaConfigError';
  }
}

export function parseQaSetup(json: unknown, channelId: string, tierNames: readonly string[]): QaSetup {
  const result = schema.safeParse(json);
  if (!result.success) throw new QaConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'the file'} ${i.message}`));
  const known = new Set(tierNames.map((n) => n.toLowerCase()));
  const problems: string[] = [];
  const askers = result.data.askers;
  if (askers !== 'everyone') for (const t of askers) if (!known.has(t.toLowerCase())) problems.push(`askers names "${t}", which is not a tier in the tiers file`);
  for (const t of Object.keys(result.data.priorityTiers)) if (!known.has(t.toLowerCase())) problems.push(`priorityTiers names "${t}", which is not a tier in the tiers file`);
  const names = result.data.topics.map((t) => t.name.toLowerCase());
  if (new Set(names).size !== names.length) problems.push('topics must have distinct names');
  if (names.includes('solved')) problems.push('"Solved" is reserved for the solved tag');
  if (problems.length) throw new QaConfigError(problems);
  return Object.freeze({ ...result.data, channelId });
}

/** Q&A is optional: without QA_CHANNEL_ID it is off and /ask says so. */
export async function loadQaSetup(channelId: string | undefined, file: string, tierNames: readonly string[]): Promise<QaSetup | null> {
  if (!channelId) return null;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new QaConfigError([`${file} cannot be read. QA_CHANNEL_ID is set, so copy qa.example.json to qa.json (or set QA_FILE) and list your topics.`]);
  }
  try {
    return parseQaSetup(JSON.parse(text), channelId, tierNames);
  } catch (error) {
    if (error instanceof SyntaxError) throw new QaConfigError([`${file} is not valid JSON: ${error.message}`]);
    throw error;
  }
}
