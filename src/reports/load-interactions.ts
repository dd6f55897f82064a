// Exact answers to the digest's interaction questions from activity_member_days (one row per member
// and UTC day: the first and last interaction), by index seeks on its (user_id, day) key, batched
// into a few statements (json_each drives the seeks, json_group_array returns the answers).
//
// Why day rows are exact: for a window [from, to) at least a day long, a member's row of day d holds
// an interaction inside the window exactly when last_at >= from and first_at < to. Days strictly
// inside: both endpoints are inside. The day containing `from`: first_at < to holds, and the day has
// an event at or after `from` iff its latest one is. The day containing `to`: likewise with first_at.
// A row cannot contain both edges, as the window is longer than the day.
//
// The latest interaction before T: T's own day, up to T, comes from the hourly rows of that day
// before T's hour and the raw events of T's hour before T (one range read for everyone; raw events
// are kept for the retention, far longer than the digest reaches); the days before it from one seek
// per member for their latest day row before T's day. That seek also answers every earlier T whose
// day comes after the row found, so asking at asOf and asOf − 7d seeks twice only for the members
// active in between. These reads depend on nothing but the instants, so the digest starts them on a
// side reader (src/db/side-reader.ts) before it loads the members; the windows of `has` come from
// the members' timelines and are read afterwards.
import { sql, type RawBuilder } from 'kysely';
import { dayOf, DAY_MS, hourOf, INTERACTION_KINDS } from '../activity/rows.ts';
import type { Reader } from '../db/side-reader.ts';
import { jsonRows } from './load-json.ts';
import type { InteractionSource } from './metrics/input.ts';

/**
 * The latest interaction in [since, before) of each of `users`: a list, or every member (whoever
 * has a subscription state, a lifetime purchase or a grant; the digest asks for them before it has
 * loaded them).
 */
export interface LatestQuestion {
  since: number;
  before: number;
  users: readonly string[] | 'members';
}

/** Any interaction of `user` in [from, to), a window at least a day long (DAY_MS). */
export interface WindowQuestion {
  user: string;
  from: number;
  to: number;
}

export type LatestInteractions = InteractionSource['lastInteractionSince'];
export type AnyInteractions = InteractionSource['hasInteraction'];

const KINDS = sql.join(INTERACTION_KINDS.map((k) => sql.lit(k)));
const MEMBER_IDS = sql`select discord_user_id from subscription_states where discord_user_id is not null
  union select discord_user_id from lifetime_purchases union select discord_user_id from grants`;

/**
 * A source from the two kinds of answers. Asked anything that was not loaded, it throws: the loader
 * and the metric functions disagree about what the digest needs, a bug that must not turn into a
 * wrong figure.
 */
export function interactionSource(latest: LatestInteractions, any: AnyInteractions): InteractionSource {
  return { lastInteractionSince: latest, hasInteraction: any };
}

export async function loadLatestInteractions(reader: Reader, questions: readonly LatestQuestion[]): Promise<LatestInteractions> {
  const notLoaded = (userId: string, since: number, before: number) => new Error(`loadInteractions: not loaded: latest interaction of ${userId} in [${since}, ${before})`);
  const asked = questions.filter((q) => q.users === 'members' || q.users.length > 0);
  if (asked.length === 0) return (userId, since, before) => { throw notLoaded(userId, since, before); };
  const instants = [...new Set(asked.map((q) => q.before))].sort((x, y) => y - x);
  const days = [...new Set(instants.map(dayOf))];
  const listed = [...new Set(asked.flatMap((q) => (q.users === 'members' ? [] : q.users)))];
  const users = asked.some((q) => q.users === 'members') ? sql`${MEMBER_IDS} union select value from json_each(${JSON.stringify(listed)})` : sql`select value from json_each(${JSON.stringify(listed)})`;
  // Every read is handed to the reader before any is awaited: a side reader runs them back to back.
  const [seeks, ...sameDays] = await Promise.all([
    latestDayRows(reader, users, days, dayOf(Math.min(...asked.map((q) => q.since)))),
    ...instants.map((t) => latestInDayBefore(reader, t)),
  ]);
  const { ids, found } = seeks;
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i]!, i);
  // Per instant, each user's latest interaction before it: from its own day if any, else from the
  // day rows before. Read once per paying member and instant, so a lookup is one Map read.
  const latestBefore = new Map(instants.map((t, k) => {
    const latest = found[days.indexOf(dayOf(t))]!.slice();
    for (const [user, at] of sameDays[k]!) {
      const i = index.get(user);
      if (i !== undefined) latest[i] = at;
    }
    return [t, latest] as const;
  }));
  // Which (before, since) pairs were asked, and of whom (null: every member asked).
  const pairs = asked.map((q) => ({ before: q.before, since: q.since, whom: q.users === 'members' ? null : new Set(q.users), latest: latestBefore.get(q.before)! }));
  const pairOf = (since: number, before: number) => {
    const all = pairs.filter((p) => p.before === before && p.since === since);
    return all.length === 0 ? undefined : { latest: all[0]!.latest, whom: all.some((p) => p.whom === null) ? null : new Set(all.flatMap((p) => [...p.whom!])) };
  };
  let pair = pairOf(pairs[0]!.since, pairs[0]!.before)!;
  let pairKey = [pairs[0]!.since, pairs[0]!.before];
  return (userId, since, before) => {
    if (since !== pairKey[0] || before !== pairKey[1]) {
      const found = pairOf(since, before);
      if (!found) throw notLoaded(userId, since, before);
      [pair, pairKey] = [found, [since, before]];
    }
    const i = index.get(userId);
    if (i === undefined || (pair.whom !== null && !pair.whom.has(userId))) throw notLoaded(userId, since, before);
    const latest = pair.latest[i]!;
    return latest !== null && latest >= since ? latest : null;
  };
}

/**
 * Per user, for each bound in `days` (UTC day starts, latest first): the last_at of their latest day
 * row with floorDay <= day < bound, or null (its day is dayOf(last_at)). As columns: the users, then
 * one column per bound. One index seek per user and bound, in key order (the users come sorted, so
 * seeks touch neighbouring pages), except where the row found for the later bound already lies
 * before the earlier one. Each level is materialised: otherwise SQLite may inline the previous
 * level's seek into the test and the result, and run it twice.
 */
async function latestDayRows(reader: Reader, users: RawBuilder<unknown>, days: readonly number[], floorDay: number): Promise<{ ids: string[]; found: (number | null)[][] }> {
  const seek = (bound: number) => sql`(select p.last_at from activity_member_days p where p.user_id = l.user_id and p.day < ${bound} and p.day >= ${floorDay} order by p.day desc limit 1)`;
  const column = (k: number) => sql.raw(`f${k}`);
  const levels = days.map((bound, k) => {
    const earlier = sql.join(Array.from({ length: k }, (_, j) => column(j)));
    const found = k === 0 ? seek(bound) : sql`case when l.${column(k - 1)} >= ${bound} then ${seek(bound)} else l.${column(k - 1)} end`;
    const from = k === 0 ? sql`(select user_id from users order by user_id) l` : sql`${column(k - 1)}_level l`;
    return sql`${column(k)}_level as materialized (select l.user_id, ${k > 0 ? sql`${earlier}, ` : sql``}${found} as ${column(k)} from ${from})`;
  });
  const columns = sql.join([sql`json_group_array(user_id)`, ...days.map((_, k) => sql`json_group_array(${column(k)})`)]);
  const [ids, ...found] = await jsonRows<unknown>(reader, sql`with users(user_id) as (${users}), ${sql.join(levels)} select json_array(${columns}) from ${column(days.length - 1)}_level`);
  return { ids: ids as string[], found: found as (number | null)[][] };
}

/**
 * Per member, the latest interaction in [start of T's UTC day, T): hourly rows before T's hour, raw
 * events in it. Should T's hour be older than the raw events' retention (the CLI asked far back),
 * that hour's first_at still gives an interaction before T: a lower bound rather than nothing.
 */
async function latestInDayBefore(reader: Reader, t: number): Promise<[string, number][]> {
  const rows = await jsonRows<[string, number]>(reader, sql`select json_group_array(json_array(user_id, last)) from (
    select user_id, max(last) as last from (
      select user_id, last_at as last from activity_hourly where hour >= ${dayOf(t)} and hour < ${hourOf(t)} and kind in (${KINDS}) and last_at is not null
      union all
      select user_id, first_at from activity_hourly where hour = ${hourOf(t)} and kind in (${KINDS}) and first_at < ${t}
      union all
      select user_id, at from activity_events where at >= ${hourOf(t)} and at < ${t} and kind in (${KINDS}))
    group by user_id)`);
  return rows;
}

/** Whether each (user, window) holds an interaction; windows at least a day long (see the file comment). */
export async function loadAnyInteractions(reader: Reader, asked: readonly WindowQuestion[]): Promise<AnyInteractions> {
  for (const w of asked) {
    if (!(w.to - w.from >= DAY_MS)) throw new RangeError(`loadInteractions: a window shorter than a day cannot be answered from day rows: [${w.from}, ${w.to})`);
  }
  const key = (user: string, from: number, to: number) => `${user}:${from}:${to}`;
  const answers = new Map<string, boolean>();
  if (asked.length > 0) {
    const questions = asked.map((w) => [w.user, dayOf(w.from), dayOf(w.to - 1), w.from, w.to]);
    const found = await jsonRows<number>(reader, sql`select json_group_array(exists(select 1 from activity_member_days d
        where d.user_id = j.value ->> 0 and d.day >= j.value ->> 1 and d.day <= j.value ->> 2 and d.last_at >= j.value ->> 3 and d.first_at < j.value ->> 4) order by j.key)
      from json_each(${JSON.stringify(questions)}) j`);
    asked.forEach((w, i) => answers.set(key(w.user, w.from, w.to), found[i] === 1));
  }
  return (userId, from, to) => {
    const answer = answers.get(key(userId, from, to));
    if (answer === undefined) throw new Error(`loadInteractions: not loaded: interaction of ${userId} in [${from}, ${to})`);
    return answer;
  };
}
