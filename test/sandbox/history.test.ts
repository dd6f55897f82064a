import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComputeDigest } from '../../src/reports/compute-digest.ts';
import type { DigestJson } from '../../src/reports/metrics/types.ts';
import { seedHistory, type HistorySummary } from '../../src/sandbox/history-seed.ts';
import { historyMember } from '../../src/sandbox/history.ts';
import { captureFor, type RigCapture } from '../activity/rig-capture.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';

const DAY = 86_400_000;
const id = (name: string) => historyMember(name).id;
const ago = (now: number, days: number) => new Date(now - Math.round(days * DAY)).toISOString();

// The plan (src/sandbox/history.ts, history-chat.ts) through the real bot: Discord dispatches and
// Stripe webhooks with past timestamps, the bot's own capture and Stripe handling, the real digest.
// Every expected figure below is worked out by hand from the plan; the comments show the sums.
describe('sandbox history: 12 weeks of a community, seeded through the sources', () => {
  let rig: BotRig;
  let c: RigCapture;
  let now: number;
  let seeded: HistorySummary;
  let digest: DigestJson;
  let complaints: string[];

  beforeAll(async () => {
    rig = await startBotRig();
    c = captureFor(rig);
    const db = rig.app.db;
    const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number }> }) => Number((await q.executeTakeFirstOrThrow()).n);
    const stripeApplied = async () => (await count(db.selectFrom('stripe_events').select(sql<number>`count(*)`.as('n')).where('processed_at', 'is', null))) === 0;
    now = Math.floor(Date.now() / 1000) * 1000;
    seeded = await seedHistory(
      {
        discord: rig.discord,
        stripe: rig.stripe,
        stripeApplied,
        botIdle: async () =>
          (await stripeApplied()) &&
          (await count(db.selectFrom('outbox').select(sql<number>`count(*)`.as('n')).where('status', '=', 'pending').where('next_attempt_at', '<=', Date.now()))) === 0,
        async captured(before) {
          await c.capture.flush();
          return count(db.selectFrom('activity_events').select(sql<number>`count(*)`.as('n')).where('kind', 'in', ['message', 'join']).where('at', '<', before));
        },
      },
      now,
    );
    // Anything the bot found odd in the backlog (a failed event, an unmatched payment) is logged at warn or above.
    complaints = rig.logs.entries().filter((e) => Number(e.level) >= 40).map((e) => String(e.msg));
    digest = await createComputeDigest(db, rig.app.deps.tiers, rig.app.deps.policy)(now);
  }, 90_000);

  afterAll(async () => {
    await c?.stop();
    await rig?.stop();
  });

  it('arrives as joins, messages, forum posts and Stripe events with their own past times', () => {
    expect(seeded).toMatchObject({ joins: 26, leaves: 2, forumPosts: 9, threads: 1 });
    expect(seeded.captured).toBe(seeded.joins + seeded.messages);
    // 23 payers: 22 subscriptions + kai's second one + june's lifetime purchase.
    expect(seeded.billing).toMatchObject({ checkouts: 24, declines: 3, priceChanges: 2, cancellations: 5 });
    expect(complaints).toEqual([]);
  });

  it('counts paying members, churn and reactivation by hand', () => {
    const m = digest.metrics;
    // Entitled now: 26 members minus cleo, dev, eli (never paid), sam, finn (cancelled), tara (grace over), gus (grace over, then cancelled).
    expect(m.paying_members).toBe(19);
    expect(m.paying_members_by_tier).toEqual({ Supporter: 12, Pro: 6, Founder: 1 });
    expect(digest.previous.paying_members).toBe(16); // without zoe, abe, bea, kai; with tara
    expect(m.new_paying_members).toBe(3); // zoe, abe, bea (a trial counts)
    expect(m.reactivated_members).toBe(1); // kai
    expect(m.churned_members).toBe(1); // tara
    expect(m.logo_churn_rate).toBe(1 / 16);
  });

  it('counts MRR and its movement by hand', () => {
    const m = digest.metrics;
    // Pro 1500 × 6 (hana, lena, pia, uma, yuri, abe) + Supporter 500 × 11 (ivan, kai, milo, nora, oscar, quinn, rosa, vic, wren, xena, zoe).
    expect(m.mrr).toEqual({ usd: 14_500 });
    expect(digest.previous.mrr).toEqual({ usd: 12_500 });
    // new: zoe 500 + abe 1500; reactivated: kai; expansion: lena to Pro; contraction: milo to Supporter; churned: tara.
    expect(m.mrr_movement).toEqual({ usd: { new: 2000, reactivated: 500, churned: 500, expansion: 1000, contraction: 1000 } });
  });

  it('counts engagement by hand', () => {
    const m = digest.metrics;
    // Last week: 38 chat messages (week 0 of CHAT) + zoe's forum post with 2 replies + abe's post.
    expect(m.messages).toBe(42);
    // The 17 who chatted last week, and tess who answered zoe.
    expect(m.communicators).toBe(18);
    // Paying and active last week: every paying member but nora, oscar, wren (quiet two weeks) and yuri (never writes).
    expect(m.weekly_active_members).toBe(15);
    expect(m.monthly_active_members).toBe(18); // nora, oscar and wren wrote 2 to 3 weeks ago
    expect(m.active_rate).toBe(15 / 19);
    expect(m.stickiness).toBe(15 / 18);
    // The week before: 28 chat messages (week 1) + xena's post with 2 replies; 13 chatters and tess;
    // paying then and active: hana, ivan, june, lena, milo, pia, quinn, rosa, uma, vic, xena.
    expect([digest.previous.messages, digest.previous.communicators, digest.previous.weekly_active_members]).toEqual([31, 14, 11]);
  });

  it('counts onboarding and cohort retention by hand', () => {
    const m = digest.metrics;
    expect(m.activation_rate).toBe(0.5); // cohort 1 = xena (asked in her first week), yuri (silent)
    expect(m.week1_retention).toBe(1);
    expect(m.cohort_retention.map((c) => c.size)).toEqual([2, 1, 2, 1, 1, 2, 2, 2]);
    expect(m.cohort_retention.map((c) => c.retention)).toEqual([
      [1], // xena, yuri
      [1, 1], // wren
      [1, 1, 1], // uma, vic (cancelling at the period end still counts)
      [1, 1, 1, 0], // tara: declined this week, grace over
      [1, 1, 0, 0, 0], // sam cancelled 20.5 days ago
      [1, 1, 1, 1, 1, 1], // quinn (declined, fixed inside the grace), rosa
      [1, 1, 0.5, 0.5, 0.5, 0.5, 0.5], // pia; finn cancelled 30.4 days ago
      [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5], // oscar; gus declined about four weeks ago
    ]);
  });

  it('lists the members at risk: oscar renews within the week, then nora and wren by last activity', () => {
    const list = digest.metrics.at_risk_members;
    expect(list.map((a) => a.user_id)).toEqual([id('oscar'), id('nora'), id('wren')]);
    expect(list.map((a) => a.last_interaction_at)).toEqual([ago(now, 15.875), ago(now, 17.5), ago(now, 14.925)]);
    const oscarRenews = Date.parse(list[0]!.renews_at!) - now;
    expect(oscarRenews).toBeGreaterThan(0);
    expect(oscarRenews).toBeLessThan(7 * DAY);
    expect(list.slice(1).every((a) => a.renews_at !== null && Date.parse(a.renews_at) - now > 7 * DAY)).toBe(true);
  });

  it('has no Q&A, challenge or content figures: those are born from live interactions, never backdated', () => {
    const m = digest.metrics;
    expect([m.questions_asked, m.challenge_entries, m.posts_submitted]).toEqual([0, 0, 0]);
  });
});
