// The challenge job (CHALLENGE_CRON): announces each challenge at its start and closes it at its
// deadline, each exactly once. A transition is claimed by a conditional UPDATE on the state in the
// same transaction that queues its messages (outbox, with dedupe keys), so a crash, a second run or
// a restart repeats nothing. A bot that was down catches up on its next run: announcements first,
// then closes, so a challenge whose whole window passed meanwhile is announced, then closed.
import type { Deps } from '../discord/command.ts';
import type { Job } from '../jobs/scheduler.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import type { ChallengeSetup } from './challenge-config.ts';
import { announcementMessage, closedMessage } from './challenge-messages.ts';
import { settleChallenge } from './challenge-settle.ts';
import { nextChallengeState } from './challenge-state.ts';
import { audit, claim, dueToAnnounce, dueToClose, findChallenge, type ChallengeRow } from './challenges-repo.ts';
import { judgeCard } from './judge-card.ts';
import { currentVerdicts, currentVersion, entriesOf } from './submissions-repo.ts';

export type ScheduleDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'outbox' | 'challenges' | 'config' | 'reputation'>;

export interface ScheduleResult {
  announced: number;
  closed: number;
  /** Entries sent to the judges' queue. */
  queued: number;
}

/** The jobs the app schedules; none when challenges are off. */
export function challengeJobs(deps: ScheduleDeps): Job[] {
  if (!deps.challenges) return [];
  return [{ name: 'challenge-schedule', cron: deps.config.challengeCron, run: () => runChallengeSchedule(deps) }];
}

export async function runChallengeSchedule(deps: ScheduleDeps): Promise<ScheduleResult> {
  const setup = deps.challenges;
  const result: ScheduleResult = { announced: 0, closed: 0, queued: 0 };
  if (!setup) return result;
  const now = deps.clock.now();
  for (const c of await dueToAnnounce(deps.db, now)) {
    if (await announce(deps, setup, c, now)) result.announced++;
  }
  // Queried after the announcements: a challenge announced just now may be due to close as well.
  for (const c of await dueToClose(deps.db, now)) {
    const queued = await close(deps, setup, c, now);
    if (queued !== null) {
      result.closed++;
      result.queued += queued;
    }
  }
  if (result.announced + result.closed > 0) deps.outbox.kick();
  return result;
}

async function announce(deps: ScheduleDeps, setup: ChallengeSetup, c: ChallengeRow, now: number): Promise<boolean> {
  if (!nextChallengeState(c, { kind: 'announce', now }).ok) return false;
  const done = await deps.db.transaction().execute(async (trx) => {
    if (!(await claim(trx, c.id, 'scheduled', { state: 'open', announced_at: now, updated_at: now }))) return false;
    await audit(trx, { challengeId: c.id, actorId: null, action: 'announced', at: now, detail: { late_ms: now - c.starts_at } });
    // Re-read after the claim: a moderator's last-second edit is what members see.
    const body = announcementMessage((await findChallenge(trx, c.id))!);
    await enqueueMessage(trx, { target: { channelId: setup.channelId }, body, dedupeKey: `challenge:${c.id}:announce`, reason: 'challenge announced', source: `challenge:${c.id}`, now });
    return true;
  });
  if (done) deps.logger.info({ challengeId: c.id, lateMs: now - c.starts_at }, 'challenge announced');
  return done;
}

/** Returns how many entries went to the judges, or null when another run closed it first. */
async function close(deps: ScheduleDeps, setup: ChallengeSetup, c: ChallengeRow, now: number): Promise<number | null> {
  if (!nextChallengeState(c, { kind: 'close', now }).ok) return null;
  const queued = await deps.db.transaction().execute(async (trx) => {
    if (!(await claim(trx, c.id, 'open', { state: 'judging', closed_at: now, updated_at: now }))) return null;
    const closed = (await findChallenge(trx, c.id))!;
    const entries = (await entriesOf(trx, c.id)).filter((s) => s.state === 'entered');
    for (const s of entries) {
      await trx.updateTable('submissions').set({ state: 'in_review' }).where('id', '=', s.id).where('state', '=', 'entered').execute();
      const card = judgeCard(closed, { ...s, state: 'in_review' }, await currentVersion(trx, s), await currentVerdicts(trx, s.id));
      await enqueueMessage(trx, { target: { channelId: deps.config.modChannelId }, body: card, dedupeKey: `challenge:${c.id}:judge:${s.id}`, reason: 'challenge entry to judge', source: `challenge:${c.id}`, now });
    }
    await audit(trx, { challengeId: c.id, actorId: null, action: 'closed', at: now, detail: { entries: entries.length, late_ms: now - c.deadline_at } });
    await enqueueMessage(trx, { target: { channelId: setup.channelId }, body: closedMessage(closed, entries.length), dedupeKey: `challenge:${c.id}:closed`, reason: 'challenge closed', source: `challenge:${c.id}`, now });
    // No entries: nothing to judge, so it is judged at once (no results message, the close said it all).
    if (entries.length === 0) await settleChallenge(trx, { reputation: deps.reputation, reportTimezone: deps.config.reportTimezone, channelId: setup.channelId }, c.id, now);
    return entries.length;
  });
  if (queued !== null) deps.logger.info({ challengeId: c.id, entries: queued, lateMs: now - c.deadline_at }, 'challenge closed; entries sent to the judges');
  return queued;
}
