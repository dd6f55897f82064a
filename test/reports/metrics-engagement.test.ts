import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/reports/metrics/compute.ts';
import { zoneOffsetMs } from '../../src/zoned-time.ts';
import { activeBetween, AS_OF, ago, D, grant, input, member, MIN, T0 } from './fixtures/metrics-fixtures.ts';

const paying = (id: string) => member(id, { grants: [grant(ago(90), null)] });

describe('engagement', () => {
  it('counts weekly and monthly active paying members, half-open', () => {
    const m = computeMetrics(
      input({
        members: [paying('a'), paying('b'), paying('c'), paying('d'), member('e', { subscription_states: activeBetween('e', ago(60), ago(20)) })],
        interactions: {
          a: [ago(3)], //               weekly and monthly
          b: [ago(10)], //              monthly only
          c: [T0], //                   W's start is included: weekly and monthly
          d: [AS_OF, ago(28) - 1], //   AS_OF is excluded, and just before the 28 days too: neither
          e: [ago(1)], //               not paying at AS_OF: never counted
        },
      }),
      AS_OF,
    );
    expect(m.weekly_active_members).toBe(2); // a, c
    expect(m.monthly_active_members).toBe(3); // a, b, c
    expect(m.active_rate).toBe(2 / 4); // of 4 paying members
    expect(m.stickiness).toBe(2 / 3);
  });

  it('counts an interaction whatever the member’s entitlement was when it happened', () => {
    // Interacted ago 5 before paying ago 2: active this week.
    const m = computeMetrics(input({ members: [member('a', { grants: [grant(ago(2), null)] })], interactions: { a: [ago(5)] } }), AS_OF);
    expect(m.weekly_active_members).toBe(1);
  });

  it('counts messages and communicators of anyone but bots; voice needs a minute inside W', () => {
    const m = computeMetrics(
      input({
        messages: [
          { user_id: 'visitor', at: ago(1) }, //             not paying: still a communicator
          { user_id: 'visitor', at: ago(2) },
          { user_id: 'bot', at: ago(1), bot: true }, //      a bot: neither a message nor a communicator
          { user_id: 'bot', at: ago(1), bot: true },
          { user_id: 'old', at: T0 - 1 }, //                 before W
        ],
        voice: [
          { user_id: 'talker', started_at: T0 - 5 * MIN, ended_at: T0 + MIN }, //  exactly 1 minute inside W: counts
          { user_id: 'short', started_at: ago(1), ended_at: ago(1) + MIN - 1 }, // 59.999 s: does not
          { user_id: 'edge', started_at: AS_OF - 30_000, ended_at: AS_OF + 5 * MIN }, // 30 s inside W
          { user_id: 'edge', started_at: ago(3), ended_at: ago(3) + 30_000 }, //          + 30 s: 1 minute in all
          { user_id: 'voicebot', started_at: ago(2), ended_at: ago(1), bot: true },
        ],
      }),
      AS_OF,
    );
    expect(m.messages).toBe(2);
    expect(m.communicators).toBe(3); // visitor, talker, edge
  });

  it('measures W in UTC instants across a DST change: exactly 7 × 24 h', () => {
    // Monday 26 October 2026 09:00 in London is 09:00 UTC (GMT); clocks went back on Sunday 25 October.
    const asOf = Date.UTC(2026, 9, 26, 9);
    const weekStart = asOf - 7 * D; // 19 October 09:00 UTC = 10:00 BST in London
    expect(zoneOffsetMs(weekStart, 'Europe/London') - zoneOffsetMs(asOf, 'Europe/London')).toBe(60 * MIN);
    const m = computeMetrics(
      input({
        members: [member('a', { grants: [grant(asOf - 90 * D, null)] }), member('b', { grants: [grant(asOf - 90 * D, null)] })],
        // 09:30 local on Monday 19 October is 08:30 UTC: before W, though after "Monday 09:00" on the wall clock.
        interactions: { a: [Date.UTC(2026, 9, 19, 8, 30)], b: [weekStart] },
        messages: [{ user_id: 'a', at: Date.UTC(2026, 9, 19, 8, 30) }, { user_id: 'b', at: weekStart }, { user_id: 'b', at: asOf - 1 }],
      }),
      asOf,
    );
    expect(m.weekly_active_members).toBe(1); // b
    expect(m.messages).toBe(2);
    expect(m.cohort_retention[0]!.cohort_start).toBe('2026-10-12T09:00:00.000Z');
  });
});
