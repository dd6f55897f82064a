// Whether members have an interaction in [from, to), exactly, from activity_hourly (see
// load-interactions.ts for why an hour row's first_at/last_at decide, and when raw events must).
import { sql } from 'kysely';
import { hourOf } from '../activity/rows.ts';
import type { Db } from '../db/database.ts';
import type { Window } from './load-activity.ts';
import { KINDS, NOT_KINDS } from './load-interactions.ts';
import { jsonRows } from './load-json.ts';

/** Above this many members, one window is loaded for everyone at once rather than member by member. */
const WHOLE_WINDOW = 2_000;

/** Whether each member asked has an interaction in each window. */
export async function loadHasInteraction(db: Db, asked: ReadonlyMap<string, Window & { users: ReadonlySet<string> }>, into: Map<string, Map<string, boolean>>): Promise<void> {
  const single: [key: string, user: string, w: Window][] = [];
  for (const [key, w] of asked) {
    const out = into.get(key) ?? new Map<string, boolean>();
    into.set(key, out);
    if (w.users.size < WHOLE_WINDOW) {
      for (const user of w.users) single.push([key, user, w]);
      continue;
    }
    const active = await activeIn(db, w);
    for (const user of w.users) out.set(user, active.has(user));
  }
  if (single.length === 0) return;
  const questions = single.map(([, user, w]) => [user, hourOf(w.from), hourOf(w.to - 1), w.from, w.to]);
  const rows = await jsonRows<[number, number, number]>(db, sql`select json_group_array(json_array(i, sure, maybe)) from (select j.key as i,
      exists(select 1 from activity_hourly h where h.user_id = j.value ->> 0 and h.hour >= j.value ->> 1 and h.hour <= j.value ->> 2
        and h.kind not in ${NOT_KINDS} and h.last_at >= j.value ->> 3 and h.first_at < j.value ->> 4 and (h.first_at >= j.value ->> 3 or h.last_at < j.value ->> 4)) as sure,
      exists(select 1 from activity_hourly h where h.user_id = j.value ->> 0 and h.hour = j.value ->> 1 and j.value ->> 1 = j.value ->> 2
        and h.kind not in ${NOT_KINDS} and h.first_at < j.value ->> 3 and h.last_at >= j.value ->> 4) as maybe
    from json_each(${JSON.stringify(questions)}) j)`);
  const raw = new Map<string, Set<string>>();
  for (const [i, sure, maybe] of rows) {
    const [key, user, w] = single[i]!;
    let yes = sure === 1;
    if (!yes && maybe === 1) {
      if (!raw.has(key)) raw.set(key, await rawActive(db, w));
      yes = raw.get(key)!.has(user);
    }
    into.get(key)!.set(user, yes);
  }
}

/** Members with an interaction in [from, to), for everyone at once. */
async function activeIn(db: Db, w: Window): Promise<Set<string>> {
  const rows = await jsonRows<[string, number]>(db, sql`select json_group_array(json_array(user_id, sure)) from (
    select user_id, max(first_at >= ${w.from} or last_at < ${w.to}) as sure from activity_hourly
    where hour >= ${hourOf(w.from)} and hour <= ${hourOf(w.to - 1)} and kind in (${KINDS}) and last_at >= ${w.from} and first_at < ${w.to}
    group by user_id)`);
  const active = new Set(rows.filter((r) => r[1] === 1).map((r) => r[0]));
  if (rows.some((r) => r[1] !== 1)) for (const user of await rawActive(db, w)) active.add(user);
  return active;
}

/** Raw events decide a window that lies inside one hour. */
async function rawActive(db: Db, w: Window): Promise<Set<string>> {
  const rows = await jsonRows<string>(db, sql`select json_group_array(user_id) from (
    select distinct user_id from activity_events where at >= ${w.from} and at < ${w.to} and kind in (${KINDS}))`);
  return new Set(rows);
}
