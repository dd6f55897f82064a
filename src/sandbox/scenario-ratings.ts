import SQLite from 'better-sqlite3';
import { SAMPLE, type RawMessage } from './discord/index.ts';
import type { Sandbox } from './harness.ts';
import type { ScenarioStep } from './scenario.ts';

type Component = { type: number; custom_id?: string; components?: Component[] };
const WAIT = 15_000;

/**
 * Ratings and reputation in the demo, after the posts scenario published a post in #articles:
 * members rate it with its buttons (one changes their mind), the author may not rate their own
 * post, a reaction makes a reader, then /rank and /top. The levels job (every 15 s) hands the
 * author the Contributor reward role once their points reach level 1.
 */
export async function ratingSteps(sandbox: Sandbox, step: ScenarioStep): Promise<void> {
  const { discord } = sandbox;
  const content = SAMPLE.channels.content;
  const rateButtons = (m: RawMessage) => (m.components as Component[]).flatMap((row) => row.components ?? [row]).filter((c) => c.custom_id?.startsWith('rate:'));
  const published = discord.state.messagesIn(content).find((m) => m.author.id === SAMPLE.applicationId && rateButtons(m).length === 5);
  if (!published) {
    await step('ratings (skipped)', async () => ['(no published post with rating buttons in #articles: the posts scenario did not publish one)']);
    return;
  }
  const postId = Number(rateButtons(published)[0]!.custom_id!.split(':')[1]);
  const authorId = authorOf(sandbox.databasePath, postId) ?? SAMPLE.users.ada;
  const title = String((published.embeds[0] as { title?: string } | undefined)?.title ?? `post ${postId}`);
  const [first, second, third] = [SAMPLE.users.brian, SAMPLE.users.tess, SAMPLE.users.mo, SAMPLE.users.jules, SAMPLE.users.ada].filter((u) => u !== authorId);
  const name = (id: string) => discord.state.users.get(id)?.username ?? id;
  const rate = (userId: string, stars: number) => discord.clickButton({ userId, message: published.id, customId: `rate:${postId}:${stars}` });

  await step(`${name(first!)} rates "${title}" 5★ with the buttons under it`, ({ seen }) => seen(first!, rate(first!, 5)));

  await step(`${name(second!)} rates it 4★, then changes to 3★: the author's points follow`, async ({ seen }) => [
    ...(await seen(second!, rate(second!, 4))),
    ...(await seen(second!, rate(second!, 3))),
  ]);

  await step(`${name(authorId)}, the author, tries to rate their own post`, ({ seen }) => seen(authorId, rate(authorId, 5)));

  await step(`${name(third!)} reacts 👍 to the post: one more reader, no rating`, async () => {
    await discord.addReaction({ channelId: content, messageId: published.id, userId: third!, emoji: '👍' });
    const readers = await discord.waitFor(() => { const r = readersOf(sandbox.databasePath, postId); return r.includes(third!) ? r : undefined; }, 5_000).catch(() => readersOf(sandbox.databasePath, postId));
    return [`the post now has ${readers.length} distinct readers: ${readers.map(name).join(', ')} (members who rated or reacted; never the author, never bots)`];
  });

  await step(`${name(authorId)} types /rank`, async ({ seen }) => {
    const lines = await seen(authorId, discord.runCommand({ userId: authorId, name: 'rank', channelId: SAMPLE.channels.general }));
    // The levels job runs every 15 s in the bot; the reward role arrives through the role outbox.
    const rewarded = await discord.waitFor(() => discord.state.member(authorId)?.roles.includes(SAMPLE.roles.contributor), 20_000).then(() => true, () => false);
    return [...lines, rewarded ? `🏅 ${name(authorId)} now has the Contributor reward role (level 1)` : '(the Contributor reward role has not arrived yet)'];
  });

  await step(`${name(first!)} looks at ${name(authorId)}'s reputation: /rank member:${name(authorId)}`, ({ seen }) =>
    seen(first!, discord.runCommand({ userId: first!, name: 'rank', options: { member: authorId }, channelId: SAMPLE.channels.general })),
  );

  await step(`${name(first!)} types /top period:all`, ({ seen }) => seen(first!, discord.runCommand({ userId: first!, name: 'top', options: { period: 'all' }, channelId: SAMPLE.channels.general }), WAIT));
}

/** Reads the bot's database (WAL lets this reader look while the bot writes). */
function query<T>(databasePath: string, read: (db: SQLite.Database) => T): T {
  const reader = new SQLite(databasePath, { readonly: true, fileMustExist: true });
  try {
    return read(reader);
  } finally {
    reader.close();
  }
}

const authorOf = (databasePath: string, postId: number) =>
  query(databasePath, (db) => (db.prepare('select author_id from posts where id = ?').get(postId) as { author_id: string } | undefined)?.author_id);
const readersOf = (databasePath: string, postId: number) =>
  query(databasePath, (db) => (db.prepare('select member_id from post_readers where post_id = ? order by at, member_id').all(postId) as { member_id: string }[]).map((r) => r.member_id));
