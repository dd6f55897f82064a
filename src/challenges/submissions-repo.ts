// Kysely queries over entries, their versions and the judges' verdicts; db (or a transaction) first.
import type { Selectable } from 'kysely';
import type { DeclineReason, SubmissionsTable, SubmissionVersionsTable, VerdictKind, VerdictsTable } from '../db/schema-challenges.ts';
import type { DbOrTrx } from '../membership/outbox.ts';
import type { EntryText } from './entry-input.ts';

export type SubmissionRow = Selectable<SubmissionsTable>;
export type VersionRow = Selectable<SubmissionVersionsTable>;
export type VerdictRow = Selectable<VerdictsTable>;

export function findSubmission(db: DbOrTrx, id: number): Promise<SubmissionRow | undefined> {
  return db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function entryOf(db: DbOrTrx, challengeId: number, authorId: string): Promise<SubmissionRow | undefined> {
  return db.selectFrom('submissions').selectAll().where('challenge_id', '=', challengeId).where('author_id', '=', authorId).executeTakeFirst();
}

export function entriesOf(db: DbOrTrx, challengeId: number): Promise<SubmissionRow[]> {
  return db.selectFrom('submissions').selectAll().where('challenge_id', '=', challengeId).orderBy('id').execute();
}

export function currentVersion(db: DbOrTrx, s: Pick<SubmissionRow, 'id' | 'version'>): Promise<VersionRow> {
  return db.selectFrom('submission_versions').selectAll().where('submission_id', '=', s.id).where('version', '=', s.version).executeTakeFirstOrThrow();
}

export function versionsOf(db: DbOrTrx, submissionId: number): Promise<VersionRow[]> {
  return db.selectFrom('submission_versions').selectAll().where('submission_id', '=', submissionId).orderBy('version').execute();
}

/**
 * A first entry, or a new version of the member's entry (every version is kept). The caller has
 * checked that the challenge takes entries and the entry is still editable, in this transaction.
 */
export async function saveEntry(trx: DbOrTrx, challengeId: number, authorId: string, entry: EntryText, now: number): Promise<{ submissionId: number; version: number }> {
  const existing = await entryOf(trx, challengeId, authorId);
  let submissionId: number;
  let version = 1;
  if (existing) {
    version = existing.version + 1;
    submissionId = existing.id;
    await trx.updateTable('submissions').set({ version, updated_at: now }).where('id', '=', existing.id).execute();
  } else {
    const row = await trx
      .insertInto('submissions')
      .values({ challenge_id: challengeId, author_id: authorId, version, created_at: now, updated_at: now, state: 'entered', result_reasons: null, result_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    submissionId = row.id;
  }
  await trx.insertInto('submission_versions').values({ submission_id: submissionId, version, solution: entry.solution, link: entry.link, notes: entry.notes, at: now }).execute();
  return { submissionId, version };
}

export function currentVerdicts(db: DbOrTrx, submissionId: number): Promise<VerdictRow[]> {
  return db.selectFrom('verdicts').selectAll().where('submission_id', '=', submissionId).where('replaced_at', 'is', null).orderBy('id').execute();
}

/** A judge's verdict; their earlier one on this entry, if any, is kept but marked replaced. */
export async function recordVerdict(
  trx: DbOrTrx,
  v: { submissionId: number; judgeId: string; verdict: VerdictKind; reason: DeclineReason | null; reasonText: string | null; at: number },
): Promise<{ id: number; replaced: VerdictRow | undefined }> {
  const replaced = await trx.selectFrom('verdicts').selectAll().where('submission_id', '=', v.submissionId).where('judge_id', '=', v.judgeId).where('replaced_at', 'is', null).executeTakeFirst();
  if (replaced) await trx.updateTable('verdicts').set({ replaced_at: v.at }).where('id', '=', replaced.id).execute();
  const row = await trx
    .insertInto('verdicts')
    .values({ submission_id: v.submissionId, judge_id: v.judgeId, verdict: v.verdict, reason: v.reason, reason_text: v.reasonText, at: v.at, replaced_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, replaced };
}
