// The Q&A follow-up job (cron, every 10 minutes by default): one reminder to the experts, one nudge
// to the asker, stale closing, and archiving solved threads. Each happens at most once per question:
// applyFollowUp stamps the question and records the event in the same transaction that queues the
// message (outbox, with a per-question dedupe key), so a crash or a second run repeats nothing.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, DiscordAPIError, Routes, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Db } from '../db/database.ts';
import type { Clock, Deps } from '../discord/command.ts';
import { customId } from '../discord/ui-state.ts';
import type { Logger } from '../logging/logger.ts';
import { DiscordCode } from '../membership/outbox-errors.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import { expertRolesFor, markThreadDeleted } from './answers.ts';
import type { QaSetup } from './qa-config.ts';
import { applyFollowUp, topicsOf, type QuestionRow } from './questions-repo.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface FollowUpPorts {
  db: Db;
  rest: REST;
  qa: QaSetup;
  clock: Clock;
  logger: Logger;
  outbox: Deps['outbox'];
}

export interface FollowUpResult {
  reminded: number;
  nudged: number;
  stale: number;
  archived: number;
  /** Archives Discord refused for now; tried again next run. */
  failed: number;
  /** Threads found deleted while archiving (closed as stale, never tried again). */
  gone: number;
}

export const NUDGE_PREFIX = 'qa-nudge';

/** Pure: the one reminder, pinging only the topics' expert roles. */
export function reminderMessage(qa: Pick<QaSetup, 'topics'>, q: Pick<QuestionRow, 'topics' | 'created_at'>, now: number) {
  const roles = expertRolesFor(qa, topicsOf(q));
  const hours = Math.max(1, Math.round((now - q.created_at) / HOUR));
  const who = roles.length ? roles.map((r) => `<@&${r}>`).join(' ') : 'Experts,';
  return { content: `${who} this question has had no answer for ${hours} h. Can you help? (This is its only reminder.)`, allowed_mentions: { parse: [] as never[], roles } };
}

/** Pure: the one nudge, pinging only the asker, with the button that opens the answer picker. */
export function nudgeMessage(q: Pick<QuestionRow, 'id' | 'asker_id'>, answers: number): RESTPostAPIChannelMessageJSONBody {
  const button = new ButtonBuilder().setStyle(ButtonStyle.Primary).setLabel('Mark the solution').setCustomId(customId(NUDGE_PREFIX, String(q.id)));
  return {
    content: `<@${q.asker_id}> your question has ${answers === 1 ? 'an answer' : `${answers} answers`}. If one solved it, mark it so others can find it: press the button, or right-click the answer → Apps → **Mark as solution**.`,
    allowed_mentions: { parse: [], users: [q.asker_id] },
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button).toJSON()],
  };
}

export function staleMessage(qa: Pick<QaSetup, 'staleDays'>) {
  return { content: `💤 **Closed as stale**: no activity here for ${qa.staleDays} days. If it still matters, the asker or a moderator can /reopen it.` };
}

export async function runQaFollowUps(ports: FollowUpPorts): Promise<FollowUpResult> {
  const now = ports.clock.now();
  const result: FollowUpResult = { reminded: 0, nudged: 0, stale: 0, archived: 0, failed: 0, gone: 0 };
  const base = () => ports.db.selectFrom('questions').selectAll().where('thread_id', 'is not', null).orderBy('id');

  // Stale first: a question closing now gets no reminder or nudge in the same run.
  const quietSince = now - ports.qa.staleDays * DAY;
  for (const q of await base().where('state', 'in', ['open', 'answered']).where('last_activity_at', '<=', quietSince).execute()) {
    // Keyed by time: a question reopened later may go stale again, and says so again.
    if (await followUp(ports, q, 'stale', now, staleMessage(ports.qa), `qa:stale:${q.id}:${now}`, `no activity for ${ports.qa.staleDays} days`)) result.stale++;
  }
  for (const q of await base().where('state', '=', 'open').where('reminded_at', 'is', null).where('reminder_due_at', '<=', now).execute()) {
    if (await followUp(ports, q, 'remind', now, reminderMessage(ports.qa, q, now), `qa:remind:${q.id}`)) result.reminded++;
  }
  for (const q of await base().where('state', '=', 'answered').where('nudged_at', 'is', null).where('created_at', '<=', now - ports.qa.nudgeDays * DAY).execute()) {
    const count = await ports.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).where('question_id', '=', q.id).executeTakeFirstOrThrow();
    if (await followUp(ports, q, 'nudge', now, nudgeMessage(q, Number(count.n)), `qa:nudge:${q.id}`)) result.nudged++;
  }
  for (const q of await base().where('state', '=', 'solved').where('archived_at', 'is', null).where('archive_due_at', '<=', now).execute()) {
    const outcome = await archive(ports, q, now);
    result[outcome]++;
  }
  if (result.reminded + result.nudged + result.stale > 0) ports.outbox.kick();
  return result;
}

async function followUp(ports: FollowUpPorts, q: QuestionRow, kind: 'remind' | 'nudge' | 'stale', now: number, body: RESTPostAPIChannelMessageJSONBody, dedupeKey: string, detail?: string): Promise<boolean> {
  const done = await ports.db.transaction().execute(async (trx) => {
    const updated = await applyFollowUp(trx, q.id, kind, now, detail);
    if (!updated) return false;
    await enqueueMessage(trx, { target: { channelId: q.thread_id! }, body, dedupeKey, reason: `Q&A: ${kind}`, source: `question:${q.id}`, now });
    return true;
  });
  if (done) ports.logger.info({ questionId: q.id, threadId: q.thread_id, kind }, `Q&A follow-up: ${kind}`);
  return done;
}

/** Archives on Discord first, then stamps: a failed PATCH is simply tried again at the next run. */
async function archive(ports: FollowUpPorts, q: QuestionRow, now: number): Promise<'archived' | 'failed' | 'gone'> {
  try {
    await ports.rest.patch(Routes.channel(q.thread_id!), { body: { archived: true }, reason: 'Guildhall Q&A: solved, archive delay over' });
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === DiscordCode.UnknownChannel) {
      await markThreadDeleted(ports, q);
      return 'gone';
    }
    ports.logger.warn({ err: error, questionId: q.id, threadId: q.thread_id }, 'Q&A: could not archive the solved thread; trying again at the next run');
    return 'failed';
  }
  await applyFollowUp(ports.db, q.id, 'archive', now);
  ports.logger.info({ questionId: q.id, threadId: q.thread_id }, 'Q&A follow-up: archived');
  return 'archived';
}
