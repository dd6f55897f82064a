// Exact answers to the digest's interaction questions from activity_member_days (one row per member
// and UTC day: the first and last interaction), by index seeks on its (user_id, day) key: one
// statement for the latest interactions, one for the windows (json_each drives the seeks,
// json_group_array returns the answers).
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
// active in between. The digest runs these reads on a side reader (src/db/side-reader.ts) as soon as
// it knows its members, while it builds their timelines; the windows of `has` come from the
// timelines and are read afterwards.
import { sql, type RawBuilder } from 'kysely';
import { dayOf, DAY_MS, hourOf, INTERACTION_KINDS } from '../activity/rows.ts';
import type { Reader } from '../db/side-reader.ts';
import type { Window } from './load-chat.ts';
import { jsonRows } from './load-json.ts';
import type { InteractionSource } from './metrics/input.ts';

/** The latest interaction in [since, before) of each of `users`. */
export interface LatestQuestion {
  since: number;
  before: number;
  users: readonly string[];
}

/** Any interaction of `user` in [from, to), a window at least a day long (DAY_MS). */
export interface WindowQuestion extends Window {
  user: string;
}

export type LatestInteractions = InteractionSource['lastInteractionSince'];
export type AnyInteractions = InteractionSource['hasInteraction'];

const KINDS = sql.join(INTERACTION_KINDS.map((k) => sql.lit(k)));

/**
 * A source from the two kinds of answers. Asked anything that was not loaded, it throws: the loader
 * and the metric functions disagree about what the digest needs, a bug that must not turn into a
 * wrong figure.
 */
export function interactionSource(latest: LatestInteractions, any: AnyInteractions): InteractionSource {
  return { lastInteractionSince: latest, hasInteraction: any };
}

/** Every user asked about, once; the list itself when all questions share it (the digest's case). */
function usersAsked(asked: readonly LatestQuestion[]): readonly string[] {
  return asked.every((q) => q.users === asked[0]!.users) ? asked[0]!.users : [...new Set(asked.flatMap((q) => q.users))];
}

/** The latest interactions asked, read at once; the answers come from memory afterwards. */
export async function loadLatestInteractions(reader: Reader, questions: readonly LatestQuestion[]): Promise<LatestInteractions> {
  const notLoaded = (userId: string, since: number, before: number) => new Error(`loadInteractions: not loaded: latest interaction of ${userId} in [${since}, ${before})`);
  const asked = questions.filter((q) => q.users.length > 0);
  if (asked.length === 0) return (userId, since, before) => { throw notLoaded(userId, since, before); };
  const instants = [...new Set(asked.map((q) => q.before))];
  const users = usersAsked(asked);
  const latest = await latestBefore(reader, users, instants, dayOf(Math.min(...asked.map((q) => q.since))));
  const cursor = cursorsOver(users);
  // Each (before, since) pair asked: of whom (null: every user listed), its answers, its own cursor.
  const pairs = new Map<string, { whom: Set<string> | null; latest: (number | null)[]; position: (userId: string) => number | undefined }>();
  for (const q of asked) {
    const key = `${q.before}:${q.since}`;
    const seen = pairs.get(key);
    const whom = q.users === users || seen?.whom === null ? null : new Set([...(seen?.whom ?? []), ...q.users]);
    pairs.set(key, { whom, latest: latest[instants.indexOf(q.before)]!, position: seen?.position ?? cursor() });
  }
  let [since0, before0] = [asked[0]!.since, asked[0]!.before];
  let pair = pairs.get(`${before0}:${since0}`)!;
  return (userId, since, before) => {
    if (since !== since0 || before !== before0) {
      const next = pairs.get(`${before}:${since}`);
      if (!next) throw notLoaded(userId, since, before);
      [pair, since0, before0] = [next, since, before];
    }
    const i = pair.position(userId);
    if (i === undefined || (pair.whom !== null && !pair.whom.has(userId))) throw notLoaded(userId, since, before);
    const at = pair.latest[i]!;
    return at !== null && at >= since ? at : null;
  };
}

/**
 * Where each user stands in `users`, found by cursors. The metrics ask in the list's order (members,
 * then their timelines, in one order), in one pass per instant, skipping some: a cursor per instant
 * that moves forward finds each at once. Asked out of order, a cursor falls back to a Map, built
 * then. At 100k members a Map costs more than all the rest of the lookups: building it, and a cache
 * miss on every read.
 */
function cursorsOver(users: readonly string[]): () => (userId: string) => number | undefined {
  const SCAN = 64; // how far ahead a cursor looks before it falls back
  let index: Map<string, number> | undefined;
  const indexed = (): Map<string, number> => {
    if (!index) {
      index = new Map();
      for (let i = users.length - 1; i >= 0; i--) index.set(users[i]!, i); // a repeated id: its first place
    }
    return index;
  };
  return () => {
    let cursor = 0;
    const scan = (from: number, userId: string): number | undefined => {
      for (let i = from, stop = Math.min(users.length, from + SCAN); i < stop; i++) if (users[i] === userId) return i;
      return undefined;
    };
    return (userId) => {
      // Ahead of the cursor; else from the start (the next pass over the list); else the Map.
      const i = scan(cursor, userId) ?? (cursor > 0 ? scan(0, userId) : undefined) ?? indexed().get(userId);
      if (i !== undefined) cursor = i + 1;
      return i;
    };
  };
}

/**
 * Per instant T (in the order given), per user (in the order given): their latest interaction in
 * [floorDay, T), or null, in one statement.
 * - T's own day, up to T: the hourly rows of that day before T's hour and the raw events of T's hour
 *   before T, grouped by user (one range read for everyone).
 * - The days before: the last_at of the user's latest day row before T's day, one index seek per
 *   user and day, in key order (SQLite sorts the list, so seeks touch neighbouring pages). Days are
 *   probed latest first, and an earlier day is probed only for the users whose row found for the
 *   later day lies on or after it. Each level is materialised: otherwise SQLite may inline the
 *   previous level's seek into the test and the result, and run it twice.
 * `key` puts each answer back at its user's place. Flat columns, not an array per user: far less
 * for the garbage collector.
 */
async function latestBefore(reader: Reader, users: readonly string[], instants: readonly number[], floorDay: number): Promise<(number | null)[][]> {
  const days = [...new Set(instants.map(dayOf))].sort((x, y) => y - x);
  const seek = (bound: number) => sql`(select p.last_at from activity_member_days p where p.user_id = l.user_id and p.day < ${bound} and p.day >= ${floorDay} order by p.day desc limit 1)`;
  const found = (k: number) => sql.raw(`found_${k}`);
  const levels = days.map((bound, k) => {
    const earlier = Array.from({ length: k }, (_, j) => sql`l.${found(j)}, `);
    const value = k === 0 ? seek(bound) : sql`case when l.${found(k - 1)} >= ${bound} then ${seek(bound)} else l.${found(k - 1)} end`;
    const from = k === 0 ? sql`(select key, value as user_id from json_each(${JSON.stringify(users)}) order by value) l` : sql`level_${sql.raw(String(k - 1))} l`;
    return sql`level_${sql.raw(String(k))} as materialized (select l.key, l.user_id, ${sql.join(earlier, sql``)}${value} as ${found(k)} from ${from})`;
  });
  const sameDays = instants.map((t, k) => sql`same_day_${sql.raw(String(k))} as materialized (${latestInDayBefore(t)})`);
  const answers = instants.map((t, k) => sql`json_group_array(coalesce((select s.last from same_day_${sql.raw(String(k))} s where s.user_id = l.user_id), l.${found(days.indexOf(dayOf(t)))}))`);
  const [keys, ...columns] = await jsonRows<unknown>(reader, sql`with ${sql.join([...sameDays, ...levels])}
    select json_array(json_group_array(l.key), ${sql.join(answers)}) from level_${sql.raw(String(days.length - 1))} l`);
  return (columns as (number | null)[][]).map((column) => {
    const inOrder = new Array<number | null>(users.length).fill(null);
    (keys as number[]).forEach((key, k) => (inOrder[key] = column[k]!));
    return inOrder;
  });
}

/**
 * Per member, the latest interaction in [start of T's UTC day, T): hourly rows before T's hour, raw
 * events in it. Should T's hour be older than the raw events' retention (the CLI asked far back),
 * that hour's first_at still gives an interaction before T: a lower bound rather than nothing.
 */
function latestInDayBefore(t: number): RawBuilder<unknown> {
  return sql`select user_id, max(last) as last from (
      select user_id, last_at as last from activity_hourly where hour >= ${dayOf(t)} and hour < ${hourOf(t)} and kind in (${KINDS}) and last_at is not null
      union all
      select user_id, first_at from activity_hourly where hour = ${hourOf(t)} and kind in (${KINDS}) and first_at < ${t}
      union all
      select user_id, at from activity_events where at >= ${hourOf(t)} and at < ${t} and kind in (${KINDS}))
    group by user_id`;
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
