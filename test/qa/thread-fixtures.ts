// Shared by the Q&A tests after /ask: a question posted for real (postQuestion: forum post with
// tags, expert notice in the outbox), members writing in its thread, and helpers to wait and look.
import { Events, type Message } from 'discord.js';
import { handleThreadDeleted, handleThreadMessage } from '../../src/qa/answers.ts';
import { syncForumTags } from '../../src/qa/forum-tags.ts';
import { postQuestion } from '../../src/qa/post-question.ts';
import { findById, type QuestionRow } from '../../src/qa/questions-repo.ts';
import { SAMPLE, snowflakeTimestamp } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_QA } from '../../src/sandbox/qa.ts';
import type { BotRig } from '../rigs/bot.ts';

/** The sandbox's Q&A file without the ask rate limit: these tests post many questions as one member. */
export const TEST_QA = { ...SANDBOX_QA, rateLimit: { questions: 1000, perHours: 1 } };

export const MODERATOR = { id: '1300000000000000911', username: 'mona' };

let questions = 0;

/**
 * Forum tags as at startup, a moderator member, and the gateway listeners for answers. The
 * listeners are attached only while the app does not wire them itself (the lead adds them to
 * app.ts); both paths call the same functions, and a repeated message id changes nothing.
 */
export async function prepareQa(rig: BotRig): Promise<void> {
  const { deps, client } = rig.app;
  await syncForumTags(client.rest, deps.qa!, deps.logger);
  if (!rig.discord.state.member(MODERATOR.id)) await rig.discord.addMember(MODERATOR, { roles: [SAMPLE.roles.moderator] });
  if (client.listenerCount(Events.MessageCreate) === 0) {
    client.on(Events.MessageCreate, (message: Message) => void handleThreadMessage(deps, message).catch((err: unknown) => deps.logger.error({ err }, 'test: answer handling failed')));
  }
  if (client.listenerCount(Events.ThreadDelete) === 0) {
    client.on(Events.ThreadDelete, (thread) => void handleThreadDeleted(deps, thread.id));
  }
}

export async function askQuestion(
  rig: BotRig,
  opts: { askerId?: string; title?: string; body?: string; topics?: string[]; reminderHours?: number } = {},
): Promise<{ id: number; threadId: string }> {
  const { deps, client } = rig.app;
  const n = ++questions;
  const posted = await postQuestion(
    { db: deps.db, rest: client.rest, qa: deps.qa!, guildId: deps.config.guildId, clock: deps.clock, logger: deps.logger, outbox: deps.outbox },
    {
      draft: { title: opts.title ?? `Question ${n}: generic types`, body: opts.body ?? 'How do I narrow a union type?', code: null },
      topics: opts.topics ?? ['typescript'],
      asker: { id: opts.askerId ?? SAMPLE.users.ada, name: 'Ada', avatarUrl: 'https://cdn.discordapp.com/embed/avatars/0.png' },
      reminderHours: opts.reminderHours ?? 12,
    },
  );
  // The thread reaches discord.js's cache through THREAD_CREATE; answers need it there.
  await until(() => client.channels.cache.has(posted.threadId));
  return { id: posted.questionId, threadId: posted.threadId };
}

export async function question(rig: BotRig, id: number): Promise<QuestionRow> {
  return (await findById(rig.app.db, id))!;
}

/** Polls an async condition (gateway dispatches are handled asynchronously). */
export async function until<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A member writes in the thread; resolves once the bot has handled the message (recorded or not). */
export async function say(rig: BotRig, threadId: string, authorId: string, content: string) {
  const message = await rig.discord.postMessage({ channelId: threadId, authorId, content });
  const db = rig.app.db;
  // Handled = an answer row, or (for the asker) a bumped last_activity_at; both come from the same handler.
  await until(async () => {
    const answer = await db.selectFrom('answers').select('id').where('message_id', '=', message.id).executeTakeFirst();
    if (answer) return true;
    const q = await db.selectFrom('questions').select(['asker_id', 'last_activity_at']).where('thread_id', '=', threadId).executeTakeFirst();
    return q !== undefined && q.asker_id === authorId && q.last_activity_at === snowflakeTimestamp(message.id);
  });
  return message;
}

export const botMessages = (rig: BotRig, threadId: string) =>
  rig.discord.state.messagesIn(threadId).filter((m) => m.author.id === SAMPLE.applicationId);

export const events = (rig: BotRig, questionId: number) =>
  rig.app.db.selectFrom('question_events').select(['kind', 'actor_id', 'detail']).where('question_id', '=', questionId).orderBy('id').execute();

export const appliedTagNames = (rig: BotRig, threadId: string): string[] => {
  const thread = rig.discord.state.channels.get(threadId)!;
  const forum = rig.discord.state.channels.get(SAMPLE.channels.forum)!;
  const tags = (forum.available_tags ?? []) as { id: string; name: string }[];
  return ((thread.applied_tags ?? []) as string[]).map((id) => tags.find((t) => t.id === id)?.name ?? id);
};

/**
 * The app's clock, held at a chosen moment while a job runs and its messages are delivered (the
 * outbox worker reads the same clock), then back to real time so message timestamps stay in order.
 */
export function heldClock() {
  let held: number | null = null;
  return {
    now: () => held ?? Date.now(),
    async at<T>(moment: number, run: () => Promise<T>): Promise<T> {
      held = moment;
      try {
        return await run();
      } finally {
        held = null;
      }
    },
  };
}

/** Delivers what the outbox holds (the rigs run without background workers). */
export const deliver = (rig: BotRig) => rig.app.membership.outbox.drain();
