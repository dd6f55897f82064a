import { ChannelType, Routes, ThreadAutoArchiveDuration, type APIEmbed, type APIGuildForumTag, type APIThreadChannel, type REST } from 'discord.js';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import type { Logger } from '../logging/logger.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import { checkAskRate } from './ask-rate-limit.ts';
import type { Draft } from './ask-modal.ts';
import { tagIdsFor } from './forum-tags.ts';
import type { QaSetup } from './qa-config.ts';
import { questionEmbed, type Asker } from './question-embed.ts';
import { HOUR_MS, type QaPorts } from './ports.ts';
import { attachThread, createQuestion } from './questions-repo.ts';


export interface PostInput {
  draft: Draft;
  topics: readonly string[];
  asker: Asker;
  reminderHours: number;
}

export interface Posted {
  questionId: number;
  threadId: string;
  url: string;
  codeCut: boolean;
}

/** Pure: the one message that pings the topics' expert roles, and nothing else (see allowed_mentions). */
export function expertNotice(qa: QaSetup, topics: readonly string[]): { content: string; allowed_mentions: { parse: []; roles: string[] } } {
  const roles = [...new Set(qa.topics.filter((t) => topics.includes(t.name)).map((t) => t.expertRoleId))];
  const content = `${roles.map((r) => `<@&${r}>`).join(' ')} a new question in ${topics.map((t) => `**${t}**`).join(', ')}. Answer here in the thread.`;
  return { content, allowed_mentions: { parse: [], roles } };
}

/**
 * Posts a question, in an order where a failure half-way leaves nothing behind:
 * 1. transaction: rate limit + the question row (thread_id null) and its 'asked' event;
 * 2. Discord: the thread with the question embed (outside any transaction: never hold SQLite's
 *    write lock over a network call); if that fails, the row is deleted and the member told;
 * 3. transaction: attach the thread, and queue the expert notice in the outbox, so it is sent
 *    exactly once (dedupe key + Discord nonce) even across a crash or a Discord outage.
 * A crash between 2 and 3 leaves a thread whose row has no thread_id; the row is the trace.
 */
export async function postQuestion(ports: QaPorts, input: PostInput): Promise<Posted> {
  const { db, qa, clock, logger } = ports;
  const now = clock.now();
  const question = await db.transaction().execute(async (trx) => {
    await checkAskRate(trx, input.asker.id, qa.rateLimit, now);
    return createQuestion(trx, {
      channelId: qa.channelId, askerId: input.asker.id, title: input.draft.title, body: input.draft.body, code: input.draft.code,
      topics: input.topics, createdAt: now, reminderDueAt: now + input.reminderHours * HOUR_MS,
    });
  });
  const log = logger.child({ questionId: question.id, askerId: input.asker.id });
  const { embed, codeCut } = questionEmbed(input.draft, input.topics, input.asker, now);
  let threadId: string;
  try {
    threadId = await createThread(ports.rest, qa, input, embed, log);
  } catch (error) {
    log.error({ err: error, channelId: qa.channelId }, 'could not create the question thread; the question row is removed');
    await db.deleteFrom('questions').where('id', '=', question.id).where('thread_id', 'is', null).execute();
    throw new UserError('unavailable', 'Discord did not accept the question thread. Your draft is kept for an hour: try again in a minute.');
  }
  const notice = expertNotice(qa, input.topics);
  await db.transaction().execute(async (trx) => {
    await attachThread(trx, question.id, threadId);
    await enqueueMessage(trx, {
      target: { channelId: threadId }, body: notice, dedupeKey: `qa-experts:${question.id}`,
      reason: 'Q&A: experts notified of a new question', source: `question:${question.id}`, now,
    });
  });
  ports.outbox.kick();
  ports.activity?.record({ userId: input.asker.id, kind: 'question_asked', at: now, channelId: threadId, ref: `question:${question.id}` });
  log.info({ threadId, topics: input.topics }, 'question posted');
  return { questionId: question.id, threadId, url: `https://discord.com/channels/${ports.guildId}/${threadId}`, codeCut };
}

interface ChannelInfo {
  type: number;
  available_tags?: APIGuildForumTag[];
}

/** A forum post with the topics' tags, or a public thread in a text channel with the embed as its first message. */
async function createThread(rest: REST, qa: QaSetup, input: PostInput, embed: APIEmbed, log: Logger): Promise<string> {
  // Fetched each time: an admin may have edited the tags since startup.
  const channel = (await rest.get(Routes.channel(qa.channelId))) as ChannelInfo;
  const message = { embeds: [embed], allowed_mentions: NO_PINGS };
  const name = input.draft.title;
  const autoArchive = ThreadAutoArchiveDuration.OneWeek;
  if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia) {
    const applied = tagIdsFor(channel.available_tags ?? [], input.topics);
    // Posted anyway: a missing tag costs filtering, not the question.
    if (applied.length < input.topics.length) log.warn({ channelId: qa.channelId, topics: input.topics }, 'the Q&A forum lacks a tag for a topic: syncForumTags runs at startup; restart the bot or add the tag');
    const body = { name, auto_archive_duration: autoArchive, applied_tags: applied, message };
    return ((await rest.post(Routes.threads(qa.channelId), { body })) as APIThreadChannel).id;
  }
  const thread = (await rest.post(Routes.threads(qa.channelId), { body: { name, type: ChannelType.PublicThread, auto_archive_duration: autoArchive } })) as APIThreadChannel;
  try {
    await rest.post(Routes.channelMessages(thread.id), { body: message });
  } catch (error) {
    // An empty thread would confuse members: remove it, then report the first failure.
    await rest.delete(Routes.channel(thread.id)).catch((cleanup: unknown) => {
      throw new AggregateError([error, cleanup], `question thread ${thread.id} was created but neither its question nor the thread's removal went through`);
    });
    throw error;
  }
  return thread.id;
}
