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
// active in between.
import { sql } from 'kysely';
import { dayOf, DAY_MS, hourOf, INTERACTION_KINDS } from '../activity/rows.ts';
import type { Db } from '../db/database.ts';
import { jsonRows } from './load-json.ts';
import type { InteractionSource } from './metrics/input.ts';

/** What the metrics will ask: the latest interaction in [since, before), and any interaction in [from, to). */
export interface InteractionQuestions {
  last: readonly { since: number; before: number; users: readonly string[] }[];
  /** Each window at least a day long (DAY_MS). */
  has: readonly { user: string; from: number; to: number }[];
}

const KINDS = sql.join(INTERACTION_KINDS.map((k) => sql.lit(k)));
const hasKey = (user: string, from: number, to: number) => `${user}:${from}:${to}`;

/** Answers by `before`, then `since`, then member (numbers as keys: read once per paying member and instant). */
type LastAnswers = Map<number, Map<number, Map<string, number | null>>>;

/**
 * Loads the answers to `questions` and returns a source that gives them. Asked anything else, the
 * source throws: the loader and the metric functions disagree about what the digest needs, a bug
 * that must not turn into a wrong figure.
 */
export async function loadInteractions(db: Db, questions: InteractionQuestions): Promise<InteractionSource> {
  const last = await latestInteractions(db, questions.last);
  const has = await anyInteractions(db, questions.has);
  return {
    lastInteractionSince(userId, since, before) {
      const answer = last.get(before)?.get(since)?.get(userId);
      if (answer === undefined) throw new Error(`loadInteractions: not loaded: latest interaction of ${userId} in [${since}, ${before})`);
      return answer;
    },
    hasInteraction(userId, from, to) {
      const answer = has.get(hasKey(userId, from, to));
      if (answer === undefined) throw new Error(`loadInteractions: not loaded: interaction of ${userId} in [${from}, ${to})`);
      return answer;
    },
  };
}

async function latestInteractions(db: Db, asked: InteractionQuestions['last']): Promise<LastAnswers> {
  const answers: LastAnswers = new Map();
  const questions = asked.filter((q) => q.users.length > 0).sort((x, y) => y.before - x.before);
  if (questions.length === 0) return answers;
  const floorDay = dayOf(Math.min(...questions.map((q) => q.since)));
  // Per member: the last_at of the latest day row before the day of the instant last probed (null: none since floorDay).
  const found = new Map<string, number | null>();
  let sameDay = new Map<string, number>();
  for (const [i, q] of questions.entries()) {
    const day = dayOf(q.before);
    if (i === 0 || q.before !== questions[i - 1]!.before) sameDay = await latestInDayBefore(db, q.before);
    // A row found for a later instant answers this one too unless it lies on or after this day.
    const probe = q.users.filter((user) => {
      const f = found.get(user);
      return f === undefined || (f !== null && f >= day);
    });
    if (probe.length > 0) {
      const lasts = await latestDayRows(db, probe, day, floorDay);
      probe.forEach((user, k) => found.set(user, lasts[k]!));
    }
    const bySince = answers.get(q.before) ?? new Map<number, Map<string, number | null>>();
    answers.set(q.before, bySince);
    const out = bySince.get(q.since) ?? new Map<string, number | null>();
    bySince.set(q.since, out);
    for (const user of q.users) {
      const latest = sameDay.get(user) ?? found.get(user)!;
      out.set(user, latest !== null && latest >= q.since ? latest : null);
    }
  }
  return answers;
}

/**
 * Per user (in order): the last_at of their latest day row with floorDay <= day < bound, or null
 * (its day is dayOf(last_at)). One index seek each, in key order (SQLite sorts the list, so seeks
 * touch neighbouring pages); j.key puts each answer back at its user's place. Two flat columns, not
 * an array per user: far less for the garbage collector.
 */
async function latestDayRows(db: Db, users: readonly string[], bound: number, floorDay: number): Promise<(number | null)[]> {
  const [keys, lasts] = (await jsonRows<unknown>(db, sql`select json_array(json_group_array(j.key), json_group_array(
      (select p.last_at from activity_member_days p where p.user_id = j.value and p.day < ${bound} and p.day >= ${floorDay} order by p.day desc limit 1)))
    from (select key, value from json_each(${JSON.stringify(users)}) order by value) j`)) as [number[], (number | null)[]];
  const out = new Array<number | null>(users.length);
  for (let k = 0; k < keys.length; k++) out[keys[k]!] = lasts[k] ?? null;
  return out;
}

/**
 * Per member, the latest interaction in [start of T's UTC day, T): hourly rows before T's hour, raw
 * events in it. Should T's hour be older than the raw events' retention (the CLI asked far back),
 * that hour's first_at still gives an interaction before T: a lower bound rather than nothing.
 */
async function latestInDayBefore(db: Db, t: number): Promise<Map<string, number>> {
  const rows = await jsonRows<[string, number]>(db, sql`select json_group_array(json_array(user_id, last)) from (
    select user_id, max(last) as last from (
      select user_id, last_at as last from activity_hourly where hour >= ${dayOf(t)} and hour < ${hourOf(t)} and kind in (${KINDS}) and last_at is not null
      union all
      select user_id, first_at from activity_hourly where hour = ${hourOf(t)} and kind in (${KINDS}) and first_at < ${t}
      union all
      select user_id, at from activity_events where at >= ${hourOf(t)} and at < ${t} and kind in (${KINDS}))
    group by user_id)`);
  return new Map(rows);
}

/** Whether each (user, window) holds an interaction; windows at least a day long (see the file comment). */
async function anyInteractions(db: Db, asked: InteractionQuestions['has']): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (asked.length === 0) return out;
  for (const w of asked) {
    if (!(w.to - w.from >= DAY_MS)) throw new RangeError(`loadInteractions: a window shorter than a day cannot be answered from day rows: [${w.from}, ${w.to})`);
  }
  const questions = asked.map((w) => [w.user, dayOf(w.from), dayOf(w.to - 1), w.from, w.to]);
  const found = await jsonRows<number>(db, sql`select json_group_array(exists(select 1 from activity_member_days d
      where d.user_id = j.value ->> 0 and d.day >= j.value ->> 1 and d.day <= j.value ->> 2 and d.last_at >= j.value ->> 3 and d.first_at < j.value ->> 4) order by j.key)
    from json_each(${JSON.stringify(questions)}) j`);
  asked.forEach((w, i) => out.set(hasKey(w.user, w.from, w.to), found[i] === 1));
  return out;
}
