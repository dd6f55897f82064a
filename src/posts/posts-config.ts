import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');

const schema = z.object({
  limits: z
    .object({
      titleMax: z.number().int().min(10).max(256).default(100),
      bodyMin: z.number().int().min(1).max(1000).default(30),
      bodyMax: z.number().int().min(100).max(4000).default(4000),
    })
    .default({ titleMax: 100, bodyMin: 30, bodyMax: 4000 }),
  /** Submissions per member (edits count too) in a sliding window. */
  rateLimit: z.object({ posts: z.number().int().positive(), perHours: z.number().positive() }).default({ posts: 3, perHours: 24 }),
  /** Tier name -> channel id: posts whose audience is that tier (or above) are published there. */
  tierChannels: z.record(z.string(), snowflake).default({}),
});

export type PostsSetup = Readonly<z.infer<typeof schema>> & { readonly channelId: string; readonly modChannelId: string };

export class PostsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid content file:\n${problems.join('\n')}`);
    this.name = 'PostsConfigError';
  }
}

export function parsePostsSetup(json: unknown, channelId: string, modChannelId: string, tierNames: readonly string[]): PostsSetup {
  const result = schema.safeParse(json);
  if (!result.success) throw new PostsConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'the file'} ${i.message}`));
  const known = new Set(tierNames.map((n) => n.toLowerCase()));
  const problems = Object.keys(result.data.tierChannels)
    .filter((t) => !known.has(t.toLowerCase()))
    .map((t) => `tierChannels names "${t}", which is not a tier in the tiers file`);
  if (result.data.limits.bodyMin > result.data.limits.bodyMax) problems.push('limits.bodyMin must not exceed limits.bodyMax');
  if (problems.length) throw new PostsConfigError(problems);
  return Object.freeze({ ...result.data, channelId, modChannelId });
}

/** Member posts are on when CONTENT_CHANNEL_ID is set; the file is optional (defaults apply without it). */
export async function loadPostsSetup(channelId: string | undefined, modChannelId: string, file: string, tierNames: readonly string[]): Promise<PostsSetup | null> {
  if (!channelId) return null;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parsePostsSetup({}, channelId, modChannelId, tierNames);
    throw new PostsConfigError([`${file} cannot be read: ${(error as Error).message}`]);
  }
  try {
    return parsePostsSetup(JSON.parse(text), channelId, modChannelId, tierNames);
  } catch (error) {
    if (error instanceof SyntaxError) throw new PostsConfigError([`${file} is not valid JSON: ${error.message}`]);
    throw error;
  }
}
