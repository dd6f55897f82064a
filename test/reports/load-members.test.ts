// loadMembers over a real migrated SQLite file, rows inserted directly (every column, nulls and ties
// included), and the packed-text reader it uses, on edge cases of its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIELD, PackedRows, RECORD } from '../../src/reports/load-json.ts';
import { loadMembers } from '../../src/reports/load-members.ts';
import type { SubscriptionItem } from '../../src/reports/metrics/input.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const SUP: SubscriptionItem = { price_id: 'price_sup', unit_amount: 500, currency: 'usd', interval: 'month', interval_count: 1, quantity: 1 };
const PRO: SubscriptionItem = { price_id: 'price_pro', unit_amount: 1500, currency: 'usd', interval: 'month', interval_count: 1, quantity: 1 };
const [A, B, C] = ['100000000000000001', '100000000000000002', '100000000000000003'];

let t: TestDatabase;
beforeEach(async () => {
  t = await freshDatabase();
});
afterEach(async () => t.cleanup());

let row = 0;
const stateRow = (user: string | null, subscription: string, at: number, over: Record<string, unknown> = {}) => ({
  subscription_id: subscription, stripe_customer_id: `cus_${subscription}`, discord_user_id: user, status: 'active' as const, items: JSON.stringify([SUP]),
  cancel_at_period_end: 0, cancel_at: null, current_period_end: at + 30, trial_end: null, start_date: at, ended_at: null, past_due_since: null,
  at, source: `test:${++row}`, recorded_at: at, ...over,
});

describe('loadMembers', () => {
  it('groups every source by member, keeps each column, skips unattributed rows and keeps id order for equal times', async () => {
    await t.db.insertInto('subscription_states').values([
      stateRow(A, 'sub_a', 1000),
      stateRow(B, 'sub_b', 2000, { items: JSON.stringify([SUP, PRO]), status: 'past_due', past_due_since: 1990, cancel_at_period_end: 1, cancel_at: 5000, trial_end: 1500, ended_at: 9000 }),
      stateRow(null, 'sub_x', 2500),
      // Same time as the first row of A: the later row (higher id) must come after it.
      stateRow(A, 'sub_a', 1000, { status: 'canceled', start_date: null, current_period_end: null }),
      stateRow(A, 'sub_a2', -5, { items: `[ ${JSON.stringify(PRO)} ]` }),
    ]).execute();
    await t.db.insertInto('lifetime_purchases').values([{ id: 'cs_1', discord_user_id: C, stripe_customer_id: null, payment_intent_id: null, price_id: 'price_founder', status: 'paid', purchased_at: 700, state_at: 700 }]).execute();
    await t.db.insertInto('grants').values([
      { discord_user_id: B, tier_name: 'Pro', created_at: 800, until: null, revoked_at: 900, granted_by: '1', reason: 'test', revoked_by: '1' },
      { discord_user_id: C, tier_name: 'Supporter', created_at: 600, until: 650, revoked_at: null, granted_by: '1', reason: 'test', revoked_by: null },
    ]).execute();

    const members = new Map((await loadMembers(t.db)).map((m) => [m.user_id, m]));
    expect([...members.keys()].sort()).toEqual([A, B, C]);
    const a = members.get(A)!;
    expect(a.subscription_states.map((s) => [s.subscription_id, s.status, s.at, s.start_date, s.current_period_end])).toEqual([
      ['sub_a', 'active', 1000, 1000, 1030],
      ['sub_a', 'canceled', 1000, null, null],
      ['sub_a2', 'active', -5, -5, 25],
    ]);
    expect(a.subscription_states[2]!.items).toEqual([PRO]);
    // States of the same items text share one list.
    expect(a.subscription_states[0]!.items).toBe(a.subscription_states[1]!.items);
    expect(members.get(B)).toEqual({
      user_id: B,
      subscription_states: [{ subscription_id: 'sub_b', status: 'past_due', items: [SUP, PRO], cancel_at_period_end: true, cancel_at: 5000, current_period_end: 2030, trial_end: 1500, start_date: 2000, ended_at: 9000, past_due_since: 1990, at: 2000 }],
      lifetime_purchases: [],
      grants: [{ tier_name: 'Pro', created_at: 800, until: null, revoked_at: 900 }],
    });
    expect(members.get(C)).toEqual({
      user_id: C,
      subscription_states: [],
      lifetime_purchases: [{ price_id: 'price_founder', purchased_at: 700, status: 'paid', state_at: 700 }],
      grants: [{ tier_name: 'Supporter', created_at: 600, until: 650, revoked_at: null }],
    });
  });

  it('loads nothing from an empty database', async () => {
    expect(await loadMembers(t.db)).toEqual([]);
  });
});

describe('PackedRows', () => {
  const packed = (...records: string[][]) => records.map((r) => r.join(FIELD)).join(RECORD);

  it('reads integers (empty is null), text and a last field that may hold the field separator', () => {
    const rows = new PackedRows(packed(['12', '', '-3', '1.5', '12345678901234567', 'sub_1', `[1${FIELD}2]`], ['0', '7', '8', '9', '10', '', 'x']));
    expect([rows.int(), rows.intOrNull(), rows.int(), rows.int(), rows.int(), rows.text(), rows.last()]).toEqual([12, null, -3, 1.5, 12345678901234567, 'sub_1', `[1${FIELD}2]`]);
    expect(rows.done).toBe(false);
    expect([rows.int(), rows.int(), rows.int(), rows.int(), rows.int(), rows.text(), rows.last()]).toEqual([0, 7, 8, 9, 10, '', 'x']);
    expect(rows.done).toBe(true);
  });

  it('rejects what is not a number, an empty required number, and a record with fewer fields', () => {
    expect(() => new PackedRows(packed(['12a', 'x'])).int()).toThrow(/expected a number at character 0/);
    expect(() => new PackedRows(packed(['', 'x'])).int()).toThrow(/expected a number/);
    const short = new PackedRows(packed(['1', 'x'], ['2', 'y']));
    short.int();
    expect(() => short.text()).toThrow(/expected another field/);
  });
});
