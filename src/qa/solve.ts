// Marking a solution and reopening: the asker or a moderator only. The database changes and the
// thread notice are one transaction (the notice goes through the outbox); the Solved tag and
// unarchiving are applied on Discord right after commit (see thread-tags.ts).
import { UserError } from '../discord/user-error.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import { HOUR_MS, type QaPorts } from './ports.ts';

export type { QaPorts } from './ports.ts';
import { findByThread, markSolved, reopen, type QuestionRow } from './questions-repo.ts';
import { setSolvedTag } from './thread-tags.ts';


export interface QaActor {
  id: string;
  /** ManageMessages, from interaction.memberPermissions (server-side). */
  isModerator: boolean;
}

export interface SolutionMessage {
  messageId: string;
  authorId: string;
  authorIsBot: boolean;
  /** The message text when the caller has it (a context-menu target); null otherwise. Only an excerpt is kept. */
  text: string | null;
}

export const jumpLink = (guildId: string, threadId: string, messageId?: string) =>
  `https://discord.com/channels/${guildId}/${threadId}${messageId ? `/${messageId}` : ''}`;

/** The question whose thread this is, or a refusal that says where to go. */
export async function questionInThread(ports: Pick<QaPorts, 'db' | 'qa'>, channelId: string | null): Promise<QuestionRow> {
  const question = channelId ? await findByThread(ports.db, channelId) : undefined;
  if (!question) throw new UserError('wrong_place', `Use this inside a question's thread in <#${ports.qa.channelId}>.`);
  return question;
}

/** Checked before anything else, so a bystander gets the same clear answer whatever they pointed at. */
export function requireAskerOrModerator(question: QuestionRow, actor: QaActor, what: string): void {
  if (actor.id !== question.asker_id && !actor.isModerator) {
    throw new UserError('forbidden', `Only the person who asked (<@${question.asker_id}>) or a moderator can ${what}.`);
  }
}

export interface Solved {
  question: QuestionRow;
  /** False when this message was already the solution (nothing changed, nothing posted). */
  changed: boolean;
  credited: boolean;
  link: string;
  /** False when Discord refused the Solved tag (logged); the question is solved all the same. */
  tagged: boolean;
}

/**
 * Marks `answer` as the solution: state, excerpt, search, points (markSolved), and the thread
 * notice crediting the answerer, in one transaction; then the Solved tag. The notice pings the
 * answerer (they earned points and may not be watching the thread), unless they marked it themselves
 * or answered their own question.
 */
export async function solveQuestion(ports: QaPorts, question: QuestionRow, actor: QaActor, answer: SolutionMessage): Promise<Solved> {
  requireAskerOrModerator(question, actor, 'mark the solution');
  if (answer.authorIsBot) throw new UserError('invalid_input', "Pick a member's reply as the solution, not a bot message.");
  const threadId = question.thread_id!;
  const now = ports.clock.now();
  const link = jumpLink(ports.guildId, threadId, answer.messageId);
  const archiveDueAt = now + ports.qa.archiveHours * HOUR_MS;
  const result = await ports.db.transaction().execute(async (trx) => {
    const r = await markSolved(trx, {
      questionId: question.id, actor: { by: actor.id, isModerator: actor.isModerator }, solutionMessageId: answer.messageId,
      solutionAuthorId: answer.authorId, solutionText: answer.text ?? '', at: now, points: ports.qa.solutionPoints, archiveDueAt, caps: ports.caps,
    });
    if (r.changed) {
      await enqueueMessage(trx, {
        target: { channelId: threadId },
        body: solvedNotice({ question, actor, answer, link, credited: r.credited, points: ports.qa.solutionPoints, archiveDueAt }),
        dedupeKey: `qa:solved:${question.id}:${now}:${answer.messageId}`,
        reason: 'Q&A: solution marked',
        source: `question:${question.id}`,
        now,
      });
    }
    return r;
  });
  if (!result.changed) return { ...result, link, tagged: true };
  ports.outbox.kick();
  // The solution is the answerer's contribution; the marker's use of the command is captured as a command.
  ports.activity?.record({ userId: answer.authorId, kind: 'solution', at: now, channelId: threadId, ref: `question:${question.id}` });
  ports.logger.info({ questionId: question.id, threadId, answerId: answer.messageId, answererId: answer.authorId, by: actor.id, credited: result.credited }, 'Q&A: question solved');
  return { ...result, link, tagged: await setSolvedTag(ports, threadId, true) };
}

/** Pure: the public notice in the thread. */
export function solvedNotice(n: { question: QuestionRow; actor: QaActor; answer: SolutionMessage; link: string; credited: boolean; points: number; archiveDueAt: number }) {
  const answerer = n.answer.authorId;
  const selfAnswer = answerer === n.question.asker_id;
  const credit = n.credited ? ` (+${n.points} points)` : '';
  const marker = n.actor.id === n.question.asker_id ? 'the asker' : `<@${n.actor.id}> (moderator)`;
  const lines = [
    selfAnswer ? `✅ **Solved** by the asker's own reply: ${n.link}` : `✅ **Solved** by <@${answerer}>'s answer${credit}: ${n.link}`,
    `Marked by ${marker}. This thread archives <t:${Math.floor(n.archiveDueAt / 1000)}:R>; if the problem comes back, use /reopen.`,
  ];
  const ping = !selfAnswer && answerer !== n.actor.id;
  return { content: lines.join('\n'), allowed_mentions: { parse: [] as never[], users: ping ? [answerer] : [] } };
}

/** /reopen: solved or stale back to answered/open, out of search, points reversed; the tag comes off and the thread reopens. */
export async function reopenQuestion(ports: QaPorts, question: QuestionRow, actor: QaActor): Promise<QuestionRow> {
  requireAskerOrModerator(question, actor, 'reopen it');
  const threadId = question.thread_id!;
  const now = ports.clock.now();
  const reopened = await ports.db.transaction().execute(async (trx) => {
    const r = await reopen(trx, { questionId: question.id, actor: { by: actor.id, isModerator: actor.isModerator }, at: now });
    const undone = r.reversed > 0 ? ' The solution points were taken back.' : '';
    await enqueueMessage(trx, {
      target: { channelId: threadId },
      body: { content: `🔓 **Reopened** by <@${actor.id}>.${undone} When an answer solves it, right-click it → Apps → **Mark as solution**.` },
      dedupeKey: `qa:reopened:${question.id}:${now}`,
      reason: 'Q&A: question reopened',
      source: `question:${question.id}`,
      now,
    });
    return r.question;
  });
  ports.outbox.kick();
  ports.logger.info({ questionId: question.id, threadId, by: actor.id, from: question.state }, 'Q&A: question reopened');
  await setSolvedTag(ports, threadId, false);
  return reopened;
}
