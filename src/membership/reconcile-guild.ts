import { Routes, type REST } from 'discord.js';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { DbOrTrx } from './outbox.ts';
import type { Observed } from './reconcile-members.ts';

/** Discord's maximum for GET /guilds/{id}/members. */
export const MEMBER_PAGE = 1000;

const memberPage = z.array(z.object({ user: z.object({ id: z.string().regex(/^\d{1,20}$/) }), roles: z.array(z.string()) }));

/**
 * The guild's members a page at a time (ascending ids, `after` the last one), so a 100k-member
 * guild is never held in memory. Needs the Server Members privileged intent, as the gateway does.
 */
export async function* guildMemberPages(rest: Pick<REST, 'get'>, guildId: string, now: () => number): AsyncGenerator<{ observedAt: number; members: Observed[] }> {
  let after: bigint | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: String(MEMBER_PAGE) });
    if (after !== undefined) query.set('after', String(after));
    // Taken before asking: the roles Discord answers with are at least this recent.
    const observedAt = now();
    const page = memberPage.parse(await rest.get(Routes.guildMembers(guildId), { query }));
    if (page.length) yield { observedAt, members: page.map((m) => ({ userId: m.user.id, roles: m.roles })) };
    if (page.length < MEMBER_PAGE) return;
    after = page.reduce((max, m) => (BigInt(m.user.id) > max ? BigInt(m.user.id) : max), 0n);
  }
}

/** For the progress bar only: Discord's approximate count, or null when it cannot say. */
export async function approximateMemberCount(rest: Pick<REST, 'get'>, guildId: string): Promise<number | null> {
  const guild = z.object({ approximate_member_count: z.number().optional() }).safeParse(await rest.get(Routes.guild(guildId), { query: new URLSearchParams({ with_counts: 'true' }) }));
  return guild.success ? (guild.data.approximate_member_count ?? null) : null;
}

/*
 * Who has a payment, a grant or a decision but was not among the guild's members: ids seen in the
 * guild go into a TEMP table (this connection only, gone with it), then the difference is
 * materialised once and read back by rowid. The guild is never cached in memory, and this works
 * for any size. Creating the table doubles as a lock against two runs on one connection.
 */
export async function beginSeen(db: Db): Promise<void> {
  try {
    await sql`create temp table reconcile_seen (id text primary key) without rowid`.execute(db);
  } catch (error) {
    throw new Error('A reconciliation is already running in this process; wait for it to finish.', { cause: error });
  }
}

export async function markSeen(trx: DbOrTrx, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await sql`insert or ignore into temp.reconcile_seen (id) values ${sql.join(userIds.map((id) => sql`(${id})`))}`.execute(trx);
}

/** Materialises the people not seen in the guild; returns how many there are. */
export async function collectAbsent(db: Db): Promise<number> {
  await sql`create temp table reconcile_absent as
    select id from (
      select discord_user_id as id from subscriptions where discord_user_id is not null
      union select discord_user_id from lifetime_purchases
      union select discord_user_id from grants
      union select discord_user_id from entitlements
    ) where id not in (select id from temp.reconcile_seen)`.execute(db);
  const { rows } = await sql<{ n: number }>`select count(*) as n from temp.reconcile_absent`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function* absentPages(db: Db, size = MEMBER_PAGE): AsyncGenerator<Observed[]> {
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ rowid: number; id: string }>`select rowid, id from temp.reconcile_absent where rowid > ${after} order by rowid limit ${size}`.execute(db);
    if (rows.length) yield rows.map((r) => ({ userId: r.id, roles: null }));
    if (rows.length < size) return;
    after = rows.at(-1)!.rowid;
  }
}

export async function endSeen(db: Db): Promise<void> {
  await sql`drop table if exists temp.reconcile_absent`.execute(db);
  await sql`drop table if exists temp.reconcile_seen`.execute(db);
}
