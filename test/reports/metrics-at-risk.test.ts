import { describe, expect, it } from 'vitest';
import { compareUserIds } from '../../src/reports/metrics/at-risk.ts';
import { computeMetrics } from '../../src/reports/metrics/compute.ts';
import { AS_OF, ago, D, grant, input, member, PRO, state, SUP, uid } from './fixtures/metrics-fixtures.ts';

const iso = (t: number) => new Date(t).toISOString();
/** Active, renewing at `renews` (current_period_end). */
const renewing = (id: string, renews: number) => member(id, { subscription_states: [state(`s${id}`, ago(90), { current_period_end: renews })] });
const granted = (id: string) => member(id, { grants: [grant(ago(90), null)] });

const members = [
  renewing(uid(1), AS_OF + 3 * D), //                                       soon, +3 d
  renewing(uid(2), AS_OF + 1 * D), //                                       soon, +1 d
  member(uid(3), { subscription_states: [state('s3', ago(90)), state('s3', ago(1), { status: 'past_due', past_due_since: ago(1) })] }), // past_due: null
  member(uid(4), { subscription_states: [state('s4', ago(90), { cancel_at_period_end: true, current_period_end: AS_OF + 2 * D })] }), // cancelling: null
  renewing(uid(5), AS_OF + 2 * D), //                                       interacted ago 10: not at risk
  granted(uid(6)), //                                                       last ago 43: too long ago
  granted(uid(7)), //                                                       last exactly ago 14: recent
  renewing(uid(8), AS_OF + 10 * D), //                                      last exactly ago 42: at risk, not soon
  member(uid(9), { grants: [grant(ago(90), ago(1))] }), //                  not paying at asOf
  // A tie on last_interaction_at goes by user id, in numeric order: 17 digits before 18.
  granted('100000000000000000'),
  granted('99999999999999999'),
  renewing(uid(12), AS_OF + 3 * D), //                                      ties with uid(1) on renews_at
  renewing(uid(13), AS_OF + 7 * D), //                                      asOf + 7 d is not "soon"
  member(uid(14), { subscription_states: [state('s14', ago(1), { status: 'trialing', trial_end: AS_OF + 2 * D })] }), // trial ends +2 d
  member(uid(15), { subscription_states: [state('s15a', ago(90), { items: [SUP], current_period_end: AS_OF + 5 * D }), state('s15b', ago(90), { items: [PRO], current_period_end: AS_OF + 2 * D })] }), // earliest +2 d
].reverse(); // input order must not matter

const interactions = {
  [uid(1)]: [ago(20)], [uid(2)]: [ago(30)], [uid(3)]: [ago(15)], [uid(4)]: [ago(40)], [uid(5)]: [ago(30), ago(10)],
  [uid(6)]: [ago(43)], [uid(7)]: [ago(30), ago(14)], [uid(8)]: [ago(42)], [uid(9)]: [ago(20)],
  '100000000000000000': [ago(30)], '99999999999999999': [ago(30)],
  [uid(12)]: [ago(16)], [uid(13)]: [ago(25)], [uid(14)]: [ago(16)], [uid(15)]: [ago(18)],
};

describe('at-risk members', () => {
  it('lists renewals within 7 days first, then the longest quiet, ties by user id', () => {
    const rows = computeMetrics(input({ members, interactions }), AS_OF).at_risk_members;
    expect(rows).toEqual([
      { user_id: uid(2), renews_at: iso(AS_OF + D), last_interaction_at: iso(ago(30)) },
      { user_id: uid(14), renews_at: iso(AS_OF + 2 * D), last_interaction_at: iso(ago(16)) },
      { user_id: uid(15), renews_at: iso(AS_OF + 2 * D), last_interaction_at: iso(ago(18)) },
      { user_id: uid(1), renews_at: iso(AS_OF + 3 * D), last_interaction_at: iso(ago(20)) },
      { user_id: uid(12), renews_at: iso(AS_OF + 3 * D), last_interaction_at: iso(ago(16)) },
      { user_id: uid(8), renews_at: iso(AS_OF + 10 * D), last_interaction_at: iso(ago(42)) },
      { user_id: uid(4), renews_at: null, last_interaction_at: iso(ago(40)) },
      { user_id: '99999999999999999', renews_at: null, last_interaction_at: iso(ago(30)) },
      { user_id: '100000000000000000', renews_at: null, last_interaction_at: iso(ago(30)) },
      { user_id: uid(13), renews_at: iso(AS_OF + 7 * D), last_interaction_at: iso(ago(25)) },
      { user_id: uid(3), renews_at: null, last_interaction_at: iso(ago(15)) },
    ]);
  });

  it('orders snowflakes numerically', () => {
    expect(['20', '3', '100', '11'].sort(compareUserIds)).toEqual(['3', '11', '20', '100']);
  });
});
