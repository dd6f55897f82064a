// Kysely queries over challenges and their audit trail; db (or a transaction) first.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { ChallengeAuditAction, ChallengesTable, ChallengeState } from '../db/schema-challenges.ts';
import type { DbOrTrx } from '../membership/outbox.ts';

export type ChallengeRow = Selectable<ChallengesTable>;

export async function insertChallenge(trx: DbOrTrx, values: Insertable<ChallengesTable>): Promise<number> {
  const row = await trx.insertInto('challenges').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findChallenge(db: DbOrTrx, id: number): Promise<ChallengeRow | undefined> {
  return db.selectFrom('challenges').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function audit(
  trx: DbOrTrx,
  entry: { challengeId: number; actorId: string | null; action: ChallengeAuditAction; at: number; detail?: unknown },
): Promise<void> {
  await trx
    .insertInto('challenge_audit')
    .values({ challenge_id: entry.challengeId, actor_id: entry.actorId, action: entry.action, at: entry.at, detail: entry.detail === undefined ? null : JSON.stringify(entry.detail) })
    .execute();
}

/**
 * Moves a challenge from `from` to the state in `set`, only if it is still in `from`: two runs of
 * the job (or a job and a moderator) racing for the same transition get one winner.
 */
export async function claim(trx: DbOrTrx, id: number, from: ChallengeState, set: Updateable<ChallengesTable>): Promise<boolean> {
  const result = await trx.updateTable('challenges').set(set).where('id', '=', id).where('state', '=', from).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export function dueToAnnounce(db: DbOrTrx, now: number): Promise<ChallengeRow[]> {
  return db.selectFrom('challenges').selectAll().where('state', '=', 'scheduled').where('starts_at', '<=', now).orderBy('starts_at').orderBy('id').execute();
}

export function dueToClose(db: DbOrTrx, now: number): Promise<ChallengeRow[]> {
  return db.selectFrom('challenges').selectAll().where('state', '=', 'open').where('deadline_at', '<=', now).orderBy('deadline_at').orderBy('id').execute();
}

export function challengesIn(db: DbOrTrx, states: readonly ChallengeState[], limit: number, order: 'asc' | 'desc' = 'asc'): Promise<ChallengeRow[]> {
  return db
    .selectFrom('challenges')
    .selectAll()
    .where('state', 'in', [...states])
    .orderBy(states.includes('scheduled') && states.length === 1 ? 'starts_at' : 'deadline_at', order)
    .orderBy('id', order)
    .limit(limit)
    .execute();
}

/** For autocomplete: challenges in these states whose title or id matches what was typed. */
export function searchChallenges(db: DbOrTrx, states: readonly ChallengeState[], typed: string, limit = 25): Promise<Pick<ChallengeRow, 'id' | 'title' | 'state'>[]> {
  let q = db.selectFrom('challenges').select(['id', 'title', 'state']).where('state', 'in', [...states]);
  const t = typed.trim().replace(/^#/, '');
  // instr, not LIKE: what a moderator types is matched literally (no % or _ wildcards).
  const inTitle = sql<boolean>`instr(lower(title), ${t.toLowerCase()}) > 0`;
  if (/^\d+$/.test(t)) q = q.where((eb) => eb.or([eb('id', '=', Number(t)), inTitle]));
  else if (t) q = q.where(inTitle);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export function auditOf(db: DbOrTrx, challengeId: number) {
  return db.selectFrom('challenge_audit').select(['actor_id', 'action', 'at', 'detail']).where('challenge_id', '=', challengeId).orderBy('id').execute();
}
