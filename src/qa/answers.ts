// Answers in question threads, from the gateway (MESSAGE_CREATE / THREAD_DELETE): metadata only.
// Without the MessageContent intent a message arrives with empty content anyway, and nothing here
// reads or stores it: who wrote, in which thread, and the message's own timestamp.
import { DiscordAPIError, type Message } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { DiscordCode } from '../membership/outbox-errors.ts';
import type { QaSetup } from './qa-config.ts';
import { findByThread, inTransaction, recordAnswer, recordEvent, topicsOf, update, type QuestionRow } from './questions-repo.ts';
import { unindexSolved } from './search.ts';

type AnswerDeps = Pick<Deps, 'db' | 'qa' | 'logger' | 'clock'> & Partial<Pick<Deps, 'activity'>>;

/** Pure: the expert roles of a question's topics (topics since removed from qa.json have none). */
export function expertRolesFor(qa: Pick<QaSetup, 'topics'>, topics: readonly string[]): string[] {
  return [...new Set(qa.topics.filter((t) => topics.includes(t.name)).map((t) => t.expertRoleId))];
}

export type MessageOutcome = 'ignored' | 'activity' | 'answer';

/**
 * Called for every MESSAGE_CREATE. Bots, webhooks, system messages and messages outside known
 * question threads are ignored. The asker's own messages only count as activity; anyone else's is
 * an answer, timed by the message's createdTimestamp, and an expert answer when the author holds
 * one of the topics' expert roles.
 */
export async function handleThreadMessage(deps: AnswerDeps, message: Message): Promise<MessageOutcome> {
  if (!deps.qa || message.author.bot || message.webhookId !== null || message.system || !message.inGuild()) return 'ignored';
  // Most messages are elsewhere in the server: no database read for them.
  if (!message.channel.isThread() || message.channel.parentId !== deps.qa.channelId) return 'ignored';
  const question = await findByThread(deps.db, message.channelId);
  if (!question) return 'ignored';
  const byAsker = message.author.id === question.asker_id;
  const isExpert = !byAsker && (await holdsExpertRole(deps, message, expertRolesFor(deps.qa, topicsOf(question))));
  const result = await recordAnswer(deps.db, {
    questionId: question.id,
    authorId: message.author.id,
    messageId: message.id,
    at: message.createdTimestamp,
    isExpert,
  });
  if (result.recorded) deps.activity?.record({ userId: message.author.id, kind: 'answer', at: message.createdTimestamp, channelId: message.channelId, ref: `question:${question.id}` });
  if (result.firstAnswer || result.firstExpertAnswer) {
    deps.logger.info(
      { questionId: question.id, threadId: message.channelId, authorId: message.author.id, expert: isExpert, afterMs: message.createdTimestamp - question.created_at },
      result.firstExpertAnswer ? 'Q&A: first expert answer' : 'Q&A: first answer',
    );
  }
  return byAsker ? 'activity' : result.recorded ? 'answer' : 'activity';
}

/**
 * The gateway message carries the author's member with role ids; only when it does not (an
 * uncached partial) is the member fetched. A member who left counts as no expert; an outage is
 * logged and the answer still recorded (its time matters more than its expert flag).
 */
async function holdsExpertRole(deps: AnswerDeps, message: Message<true>, roles: readonly string[]): Promise<boolean> {
  if (roles.length === 0) return false;
  let member = message.member;
  if (!member) {
    try {
      member = await message.guild.members.fetch(message.author.id);
    } catch (error) {
      if (!(error instanceof DiscordAPIError && error.code === DiscordCode.UnknownMember)) {
        deps.logger.warn({ err: error, userId: message.author.id, threadId: message.channelId }, 'Q&A: could not fetch the answer author; recorded as a non-expert answer');
      }
      return false;
    }
  }
  return roles.some((id) => member.roles.cache.has(id));
}

/**
 * THREAD_DELETE (or a 10003 Unknown Channel met by a job): the question closes as stale with a
 * 'thread_deleted' event, leaves search (its jump links would be dead) and is never archived or
 * followed up. Points already credited stay. A repeat (gateway replay) changes nothing.
 */
export async function handleThreadDeleted(deps: Pick<Deps, 'db' | 'logger' | 'clock'>, threadId: string): Promise<boolean> {
  const question = await findByThread(deps.db, threadId);
  if (!question) return false;
  return markThreadDeleted(deps, question);
}

export async function markThreadDeleted(deps: Pick<Deps, 'db' | 'logger' | 'clock'>, question: QuestionRow): Promise<boolean> {
  const now = deps.clock.now();
  const done = await inTransaction(deps.db, async (trx) => {
    const seen = await trx.selectFrom('question_events').select('id').where('question_id', '=', question.id).where('kind', '=', 'thread_deleted').executeTakeFirst();
    if (seen) return false;
    await update(trx, question.id, { state: 'stale', stale_at: question.stale_at ?? now, archive_due_at: null });
    await unindexSolved(trx, question.id);
    await recordEvent(trx, { questionId: question.id, kind: 'thread_deleted', actorId: null, at: now, detail: JSON.stringify({ from: question.state }) });
    return true;
  });
  if (done) deps.logger.info({ questionId: question.id, threadId: question.thread_id, from: question.state }, 'Q&A: question thread deleted; closed as stale');
  return done;
}
