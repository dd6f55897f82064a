// When judging completes: the challenge becomes judged, points are credited (shared ledger, source
// 'challenge'), results are announced and each author gets their verdict by DM. A revision after
// that reverses and re-credits the points under fresh refs and tells the author again. Runs inside
// the caller's transaction; every step is keyed (result_seq, dedupe keys), so re-running is harmless.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import { reversePoints, reversePointsByPrefix } from '../qa/points.ts';
import { awardPoints } from '../reputation/award.ts';
import type { ReputationSetup } from '../reputation/reputation-config.ts';
import { resultsMessage, verdictDm } from './challenge-messages.ts';
import { nextChallengeState } from './challenge-state.ts';
import { audit, claim, findChallenge, type ChallengeRow } from './challenges-repo.ts';
import { entriesOf, type SubmissionRow } from './submissions-repo.ts';

export interface SettleContext {
  reputation: ReputationSetup;
  /** REPORT_TIMEZONE: the daily points cap is counted per local day. */
  reportTimezone: string;
  /** CHALLENGE_CHANNEL_ID: where results are announced. */
  channelId: string;
}

export const entryRef = (challengeId: number, submissionId: number) => `challenge:${challengeId}:entry:${submissionId}`;
export const bestRef = (challengeId: number, submissionId: number) => `challenge:${challengeId}:best:${submissionId}`;

const isFinal = (s: SubmissionRow) => s.state === 'accepted' || s.state === 'best' || s.state === 'declined';

export type SettleOutcome = 'judged' | 'reopened' | 'revised' | 'unchanged';

export async function settleChallenge(trx: Transaction<Database>, ctx: SettleContext, challengeId: number, now: number): Promise<SettleOutcome> {
  const c = await findChallenge(trx, challengeId);
  if (!c || (c.state !== 'judging' && c.state !== 'judged')) return 'unchanged';
  const entries = (await entriesOf(trx, c.id)).filter((s) => s.state !== 'void');
  const unsettled = entries.filter((s) => s.state === 'in_review').length;

  if (c.state === 'judged' && unsettled > 0) {
    // A revision left an entry without agreement: its points go until the judges agree again.
    if (!nextChallengeState(c, { kind: 'reopen' }).ok || !(await claim(trx, c.id, 'judged', { state: 'judging', updated_at: now }))) return 'unchanged';
    await audit(trx, { challengeId: c.id, actorId: null, action: 'reopened', at: now, detail: { unsettled } });
    for (const s of entries) await syncPoints(trx, ctx, c, s, now);
    return 'reopened';
  }
  if (unsettled > 0) return 'unchanged';

  let outcome: SettleOutcome = 'unchanged';
  if (c.state === 'judging') {
    if (!nextChallengeState(c, { kind: 'complete', unsettled }).ok || !(await claim(trx, c.id, 'judging', { state: 'judged', judged_at: now, updated_at: now }))) return 'unchanged';
    await audit(trx, { challengeId: c.id, actorId: null, action: 'judged', at: now, detail: { entries: entries.length } });
    outcome = 'judged';
  }
  let changed = false;
  for (const s of entries) {
    const credited = await syncPoints(trx, ctx, c, s, now);
    if (s.notified_seq !== s.result_seq && isFinal(s)) {
      changed = true;
      const amount = credited ?? (s.state === 'declined' ? 0 : c.points + (s.state === 'best' ? c.best_bonus : 0));
      await enqueueMessage(trx, {
        target: { userId: s.author_id },
        body: verdictDm(c, s, amount, s.notified_seq > 0),
        dedupeKey: `challenge:${c.id}:verdict:${s.id}:${s.result_seq}`,
        reason: 'challenge verdict',
        source: `challenge:${c.id}`,
        now,
      });
      await trx.updateTable('submissions').set({ notified_seq: s.result_seq }).where('id', '=', s.id).execute();
    }
  }
  if (outcome === 'unchanged' && !changed) return 'unchanged';
  const round = c.results_round + 1;
  await trx.updateTable('challenges').set({ results_round: round }).where('id', '=', c.id).execute();
  if (entries.length > 0) {
    await enqueueMessage(trx, {
      target: { channelId: ctx.channelId },
      body: resultsMessage(c, entries, round),
      dedupeKey: `challenge:${c.id}:results:${round}`,
      reason: 'challenge results',
      source: `challenge:${c.id}`,
      now,
    });
  }
  return outcome === 'judged' ? 'judged' : 'revised';
}

/**
 * Makes the ledger match the entry's current result, once per result_seq. The first credit uses
 * the plain refs; after a reversal a ref cannot be credited again, so re-credits add `:r<seq>`.
 * Points carry the time of the entry's final version: the leaderboard breaks ties by it.
 * Returns the points credited now, or undefined when the ledger was already up to date.
 */
async function syncPoints(trx: Transaction<Database>, ctx: SettleContext, c: ChallengeRow, s: SubmissionRow, now: number): Promise<number | undefined> {
  if (s.credited_seq === s.result_seq) return undefined;
  const refs = { entry: entryRef(c.id, s.id), best: bestRef(c.id, s.id) };
  for (const ref of Object.values(refs)) {
    await reversePoints(trx, 'challenge', ref, now);
    await reversePointsByPrefix(trx, 'challenge', `${ref}:r`, now);
  }
  const used = await trx.selectFrom('points').select('id').where('source', '=', 'challenge').where('ref', '=', refs.entry).executeTakeFirst();
  const suffix = used ? `:r${s.result_seq}` : '';
  let credited = 0;
  const award = (ref: string, amount: number) =>
    awardPoints(trx, ctx.reputation, ctx.reportTimezone, { memberId: s.author_id, amount, source: 'challenge', ref: `${ref}${suffix}`, at: s.updated_at });
  if (s.state === 'accepted' || s.state === 'best') credited += await award(refs.entry, c.points);
  if (s.state === 'best' && c.best_bonus > 0) credited += await award(refs.best, c.best_bonus);
  await trx.updateTable('submissions').set({ credited_seq: s.result_seq }).where('id', '=', s.id).execute();
  return credited;
}
