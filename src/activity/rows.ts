// What one captured event becomes, and the hourly rollup deltas a batch of them adds. Pure.
import type { ActivityHourlyTable, ActivityMemberDaysTable } from '../db/schema-activity.ts';
import type { ActivityInput, ActivityKind } from './sink.ts';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * HOUR_MS;
export const hourOf = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;
export const dayOf = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

// A Record, so a kind added to ActivityKind must be classified here (the compiler says so).
const IS_INTERACTION: Record<ActivityKind, boolean> = {
  message: true,
  reaction: true,
  voice: true,
  command: true,
  question_asked: true,
  answer: true,
  solution: true,
  challenge_entry: true,
  post_submitted: true,
  post_decided: true,
  rating: true,
  join: false,
  leave: false,
  subscription_change: false,
};
export const ACTIVITY_KINDS = Object.keys(IS_INTERACTION) as ActivityKind[];
/** Every captured kind except joins, leaves and subscription changes (the metrics' "interaction"). */
export const INTERACTION_KINDS: readonly ActivityKind[] = ACTIVITY_KINDS.filter((k) => IS_INTERACTION[k]);

/** A voice session longer than this is a bug upstream; it is cut so one row cannot explode into rollups. */
export const MAX_VOICE_MS = 31 * 24 * HOUR_MS;

export interface ActivityRow {
  user_id: string;
  kind: ActivityKind;
  at: number;
  channel_id: string | null;
  ref: string | null;
  ended_at: number | null;
}

/** The row to store, or null for what is never stored: bots, unusable times, empty voice sessions. */
export function toRow(e: ActivityInput): ActivityRow | null {
  if (e.bot || !e.userId || !Number.isFinite(e.at) || !Object.hasOwn(IS_INTERACTION, e.kind)) return null;
  let ended: number | null = null;
  if (e.kind === 'voice') {
    const end = e.endAt ?? (e.minutes !== undefined ? e.at + e.minutes * MINUTE_MS : Number.NaN);
    if (!Number.isFinite(end) || end <= e.at) return null;
    ended = Math.min(end, e.at + MAX_VOICE_MS);
  }
  return { user_id: e.userId, kind: e.kind, at: e.at, channel_id: e.channelId ?? null, ref: e.ref ?? null, ended_at: ended };
}

/** What one batch adds to one activity_hourly row (same columns as the table). */
export type RollupDelta = ActivityHourlyTable;

/**
 * Pure: what a batch adds to activity_hourly. An event counts in the hour of its `at`; a voice
 * session also adds, to every hour it spans, the milliseconds it overlaps that hour.
 */
export function rollupDeltas(rows: readonly ActivityRow[]): RollupDelta[] {
  // By hour, then by user and kind: a batch spans an hour or two, and a string key without the
  // hour in it is cheaper to build (this runs for every captured event).
  const byHour = new Map<number, Map<string, RollupDelta>>();
  const out: RollupDelta[] = [];
  const bucket = (hour: number, user_id: string, kind: ActivityKind): RollupDelta => {
    let inHour = byHour.get(hour);
    if (!inHour) byHour.set(hour, (inHour = new Map()));
    // User ids are digits and kinds are letters: the concatenation is unambiguous.
    const key = user_id + kind;
    let d = inHour.get(key);
    if (!d) {
      inHour.set(key, (d = { hour, user_id, kind, count: 0, voice_ms: 0, first_at: null, last_at: null }));
      out.push(d);
    }
    return d;
  };
  for (const r of rows) {
    const d = bucket(hourOf(r.at), r.user_id, r.kind);
    d.count += 1;
    d.first_at = d.first_at === null ? r.at : Math.min(d.first_at, r.at);
    d.last_at = d.last_at === null ? r.at : Math.max(d.last_at, r.at);
    if (r.ended_at === null) continue;
    for (let h = hourOf(r.at); h < r.ended_at; h += HOUR_MS) {
      bucket(h, r.user_id, r.kind).voice_ms += Math.min(r.ended_at, h + HOUR_MS) - Math.max(r.at, h);
    }
  }
  return out;
}

/** What one batch adds to one activity_member_days row (same columns as the table). */
export type MemberDayDelta = ActivityMemberDaysTable;

/**
 * Pure: what a batch adds to activity_member_days (per member and UTC day, the first and last
 * interaction), from the batch's hourly deltas: a handful per flush instead of one step per event.
 */
export function memberDayDeltas(hourly: readonly RollupDelta[]): MemberDayDelta[] {
  const byKey = new Map<string, MemberDayDelta>();
  for (const h of hourly) {
    // first_at null: only the continuation of a voice session into a later hour, not an event.
    if (!IS_INTERACTION[h.kind] || h.first_at === null || h.last_at === null) continue;
    const day = dayOf(h.hour);
    const key = `${day}|${h.user_id}`;
    const d = byKey.get(key);
    if (!d) byKey.set(key, { day, user_id: h.user_id, first_at: h.first_at, last_at: h.last_at });
    else {
      if (h.first_at < d.first_at) d.first_at = h.first_at;
      if (h.last_at > d.last_at) d.last_at = h.last_at;
    }
  }
  return [...byKey.values()];
}
