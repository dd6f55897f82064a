import SQLite from 'better-sqlite3';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { HOUR_MS, type ActivityRow } from '../src/activity/rows.ts';
import { writeActivityBatch } from '../src/activity/write-batch.ts';
import type { ActivityKind } from '../src/activity/sink.ts';
import { SANDBOX_PRICES } from '../src/sandbox/tiers.ts';
import { prng } from './prng.ts';

/**
 * A community for the digest benchmark, written straight into SQLite with prepared statements in
 * one transaction: `members` paying members (subscriptions, some upgraded, past due, cancelled;
 * grants; lifetime purchases) over 400 days, a fifth as many non-paying chatters, and `events`
 * activity events over the 26 weeks before asOf (and a day after it). Activity is skewed (a few
 * members do most of it, many lurk) and comes in sessions of a few events within an hour, like chat.
 * Each hour's events go through the capture's own writer (writeActivityBatch): raw rows and rollups.
 */
export interface DigestData {
  members: number;
  events: number;
  hourlyRows: number;
  stateRows: number;
}

const DAY = 24 * HOUR_MS;
const userId = (i: number) => String(1_400_000_000_000_000_000n + BigInt(i));
const item = (price: string, amount: number, interval: string) => JSON.stringify([{ price_id: price, unit_amount: amount, currency: 'usd', interval, interval_count: 1, quantity: 1 }]);
const SUP = item(SANDBOX_PRICES.supporter, 500, 'month');
const SUP_YEAR = item(SANDBOX_PRICES.supporterYearly, 5000, 'year');
const PRO = item(SANDBOX_PRICES.pro, 1500, 'month');
const KINDS: [ActivityKind, number][] = [['message', 0.74], ['reaction', 0.12], ['command', 0.04], ['voice', 0.03], ['answer', 0.02], ['question_asked', 0.01], ['rating', 0.01], ['challenge_entry', 0.01], ['join', 0.01], ['leave', 0.01]];


export async function generateDigestDb(file: string, n: number, events: number, asOf: number): Promise<DigestData> {
  const kysely = openDatabase(file);
  await migrate(kysely);
  await kysely.destroy();
  const db = new SQLite(file);
  db.pragma('synchronous = OFF');
  const rnd = prng(42);
  let stateRows = 0;
  db.transaction(() => {
    const state = db.prepare(`insert into subscription_states (subscription_id, stripe_customer_id, discord_user_id, status, items, cancel_at_period_end, cancel_at,
      current_period_end, trial_end, start_date, ended_at, past_due_since, at, source, recorded_at) values (?, ?, ?, ?, ?, ?, null, ?, null, ?, ?, ?, ?, 'bench', ?)`);
    const grant = db.prepare(`insert into grants (discord_user_id, tier_name, until, granted_by, reason, created_at, revoked_at, revoked_by) values (?, ?, ?, '1', 'bench', ?, null, null)`);
    const lifetime = db.prepare(`insert into lifetime_purchases (id, discord_user_id, stripe_customer_id, payment_intent_id, price_id, status, purchased_at, state_at) values (?, ?, null, null, ?, ?, ?, ?)`);
    for (let i = 0; i < n; i++) {
      const user = userId(i);
      const start = Math.floor(asOf - rnd() * 400 * DAY);
      const r = rnd();
      if (r < 0.1) grant.run(user, rnd() < 0.5 ? 'Supporter' : 'Pro', rnd() < 0.5 ? null : start + Math.floor(rnd() * 60 * DAY), start);
      else if (r < 0.15) lifetime.run(`cs_${i}`, user, SANDBOX_PRICES.founder, rnd() < 0.1 ? 'refunded' : 'paid', start, start + Math.floor(rnd() * 30 * DAY));
      else {
        const sub = `sub_${i}`;
        const items = rnd() < 0.2 ? SUP_YEAR : rnd() < 0.3 ? PRO : SUP;
        const row = (status: string, its: string, at: number, ended: number | null, pastDue: number | null, cancel = 0) => {
          state.run(sub, `cus_${i}`, user, status, its, cancel, at + 30 * DAY, start, ended, pastDue, at, at);
          stateRows++;
        };
        row(rnd() < 0.05 ? 'trialing' : 'active', items, start, null, null);
        const later = start + Math.floor(rnd() * (asOf + DAY - start));
        const what = rnd();
        if (what < 0.1) row('canceled', items, later, later, null);
        else if (what < 0.15) row('past_due', items, later, null, later);
        else if (what < 0.25) row('active', PRO, later, null, null);
        else if (what < 0.3) row('active', items, later, null, null, 1);
      }
    }
  })();
  const written = writeActivity(db, n, events, asOf, rnd);
  const hourlyRows = (db.prepare('select count(*) as n from activity_hourly').get() as { n: number }).n;
  db.close();
  return { members: n, events: written, hourlyRows, stateRows };
}

/** Sessions hour by hour (so raw rows go in time order), each hour written as one capture flush. */
function writeActivity(db: SQLite.Database, n: number, events: number, asOf: number, rnd: () => number): number {
  const users = n + Math.floor(n / 5);
  // Activity weight ~ rank^-0.9 over a shuffled order: a long tail, and a third of the members never active.
  const weights = Array.from({ length: users }, (_, i) => (rnd() < 0.33 ? 0 : 1 / Math.pow(i + 1, 0.9)));
  const cumulative = new Float64Array(users);
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[users - 1]!;
  const pick = () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = users - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return userId((lo * 7919) % users);
  };
  const kindOf = () => {
    let x = rnd();
    for (const [k, p] of KINDS) if ((x -= p) < 0) return k;
    return 'message';
  };
  const first = Math.floor((asOf - 182 * DAY) / HOUR_MS) * HOUR_MS;
  const hours = (asOf + DAY - first) / HOUR_MS;
  const perHour = events / hours;
  let written = 0;
  db.transaction(() => {
    for (let h = 0; h < hours; h++) {
      const hour = first + h * HOUR_MS;
      const rows: ActivityRow[] = [];
      const target = Math.round((h + 1) * perHour) - written;
      while (rows.length < target) {
        const user = pick();
        let at = hour + Math.floor(rnd() * HOUR_MS);
        // ~5 events a session, a few minutes apart, within the hour.
        do {
          const kind = kindOf();
          const ended = kind === 'voice' ? at + MINUTE_RANGE(rnd) : null;
          rows.push({ user_id: user, kind, at, channel_id: '900000000000000001', ref: null, ended_at: ended });
          at += Math.floor(rnd() * 8 * 60_000);
        } while (rnd() < 0.8 && at < hour + HOUR_MS && rows.length < target);
      }
      writeActivityBatch(db, rows);
      written += rows.length;
    }
  })();
  return written;
}

/** A voice session of 10 s to 3 h. */
const MINUTE_RANGE = (rnd: () => number) => 10_000 + Math.floor(rnd() * rnd() * 3 * HOUR_MS);
