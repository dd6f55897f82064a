// Exact interaction answers from activity_hourly, in a few batched queries (see load-activity.ts):
// the latest interaction before T here, any interaction in a window in load-windows.ts.
//
// Why the rollup is exact: a row (member, UTC hour, kind) keeps first_at and last_at, the earliest
// and latest event of the hour. For a window [from, to), an hour row says "an event is inside" when
// last_at >= from and first_at < to, and (first_at >= from or last_at < to) — that endpoint event is
// inside. It says "none inside" when last_at < from or first_at >= to. Only a row with first_at < from
// and last_at >= to leaves it open, which needs the whole window inside that one hour; then the raw
// events of that hour decide. Every window the digest asks is at least 7 days long, so raw events
// are read only for the hour of T in "latest interaction before T", and only for members whose events
// of that hour straddle T.
import { sql } from 'kysely';
import { ACTIVITY_KINDS, hourOf, INTERACTION_KINDS } from '../activity/rows.ts';
import type { Db } from '../db/database.ts';
import { jsonRows } from './load-json.ts';

export const KINDS = sql.join(INTERACTION_KINDS.map((k) => sql.lit(k)));
/** The other kinds, for filters that must not become index seeks (NOT IN never does). */
export const NOT_KINDS = sql`(${sql.join(ACTIVITY_KINDS.filter((k) => !INTERACTION_KINDS.includes(k)).map((k) => sql.lit(k)))})`;

/**
 * The latest interaction strictly before each T, for the members asked:
 * 1. T's own hour: members with an event in [hour, T), from that hour's rows (raw events only for
 *    members whose events of the hour straddle T);
 * 2. the rest: their latest hour with an interaction row before T's hour, by an index probe each
 *    (the (user_id, hour) index holds kind too), and that hour's latest event (last_at). One probe
 *    serves every T of a member that falls after the hour found, so a member asked at asOf and at
 *    asOf − 7d is probed twice only when active in between.
 */
export async function loadLastBefore(db: Db, asked: ReadonlyMap<number, ReadonlySet<string>>, into: Map<number, Map<string, number | null>>): Promise<void> {
  const times = [...asked.keys()].sort((a, b) => b - a);
  const outs = times.map((t) => into.get(t) ?? into.set(t, new Map()).get(t)!);
  // Per member, the instants still open, latest first (arrays, not maps: this runs for every paying member).
  let open: { user: string; times: number[] }[] = [];
  const union = new Set<string>();
  for (const users of asked.values()) for (const user of users) union.add(user);
  const edges: Map<string, number>[] = [];
  for (const t of times) edges.push(await edgeHour(db, t));
  for (const user of [...union].sort()) {
    const left: number[] = [];
    times.forEach((t, i) => {
      if (!asked.get(t)!.has(user)) return;
      const last = edges[i]!.get(user);
      if (last !== undefined) outs[i]!.set(user, last);
      else left.push(t);
    });
    if (left.length) open.push({ user, times: left });
  }
  const outOf = new Map(times.map((t, i) => [t, outs[i]!]));
  while (open.length > 0) {
    const next: typeof open = [];
    // Usually one group: every member's latest open instant is the same.
    const byHour = new Map<number, typeof open>();
    for (const o of open) {
      const hour = hourOf(o.times[0]!);
      const group = byHour.get(hour);
      if (group) group.push(o);
      else byHour.set(hour, [o]);
    }
    for (const [before, group] of byHour) {
      const found = await latestBefore(db, group.map((o) => o.user), before);
      group.forEach((o, i) => {
        const [hour, last] = found[i]!;
        // Every instant whose hour comes after the hour found gets its latest event (none: null).
        while (o.times.length > 0 && (hour === null || hourOf(o.times[0]!) > hour)) outOf.get(o.times.shift()!)!.set(o.user, last);
        if (o.times.length > 0) next.push(o);
      });
    }
    open = next;
  }
}

/** Members with an interaction in [hour of t, t): their latest one there. */
async function edgeHour(db: Db, t: number): Promise<Map<string, number>> {
  const hour = hourOf(t);
  const edge = new Map<string, number>();
  if (hour === t) return edge;
  // last_at when the whole row is before t, else first_at: a lower bound, made exact from raw events.
  const rows = await jsonRows<[string, number, number]>(db, sql`select json_group_array(json_array(user_id, last, straddles)) from (
    select user_id, max(case when last_at < ${t} then last_at else first_at end) as last, max(last_at >= ${t}) as straddles
    from activity_hourly where hour = ${hour} and kind in (${KINDS}) and first_at < ${t} group by user_id)`);
  for (const [user, last] of rows) edge.set(user, last);
  if (!rows.some((r) => r[2])) return edge;
  const raw = await jsonRows<[string, number]>(db, sql`select json_group_array(json_array(user_id, last)) from (
    select user_id, max(at) as last from activity_events where at >= ${hour} and at < ${t} and kind in (${KINDS}) group by user_id)`);
  for (const [user, last] of raw) if (edge.has(user)) edge.set(user, Math.max(edge.get(user)!, last));
  return edge;
}

/**
 * Per member, the latest hour before `before` with an interaction row, and its latest event, in one
 * statement: probes in member order (neighbouring index pages), materialized so that each runs once.
 * An hour where only a voice session that began earlier goes on has a row but no event (last_at
 * null): then the latest event is in an earlier hour, found by a probe that reads each candidate row
 * (rare, and coalesce() runs it only then). The hour returned is the probed one either way: there is
 * no event between the two, so instants after it get the same answer.
 */
async function latestBefore(db: Db, users: readonly string[], before: number): Promise<[hour: number | null, last: number | null][]> {
  // In the order of `users` (j.key): the answers line up with the question.
  return jsonRows<[number | null, number | null]>(db, sql`with p as materialized (
      select j.key as i, j.value as u, (select hour from activity_hourly where user_id = j.value and hour < ${before} and kind not in ${NOT_KINDS} order by hour desc limit 1) as h
      from json_each(${JSON.stringify(users)}) j)
    select json_group_array(json_array(h, coalesce(
      (select max(last_at) from activity_hourly where hour = h and user_id = u and kind not in ${NOT_KINDS}),
      (select max(last_at) from activity_hourly where user_id = u and kind in (${KINDS}) and hour = (
        select hour from activity_hourly where user_id = u and hour < h and kind in (${KINDS}) and last_at is not null order by hour desc limit 1))
    )) order by i) from p`);
}
