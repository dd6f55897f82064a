import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createEventProcessor, type EventProcessor } from '../../src/membership/event-processor.ts';
import { reviewExpiredEntitlements } from '../../src/membership/expiry.ts';
import { SAMPLE } from '../../src/sandbox/discord/fixtures.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { TEST_SECRETS } from '../rigs/env.ts';
import { buildEvent, fakeId, postWebhook, subscriptionFixture, type SubscriptionFixtureInput } from '../rigs/stripe.ts';

export const SUPPORTER = SAMPLE.roles.member;
export const PRO = SAMPLE.roles.pro;
export const FOUNDER = SAMPLE.roles.founder;
export const DAY = 86_400;

/**
 * The real app (startBotRig) plus an event processor over its database, its Stripe client (the
 * emulator) and a clock the test moves. Every test starts from empty membership tables.
 */
export class MembershipHarness {
  rig!: BotRig;
  processor!: EventProcessor;
  /** Seconds: event times are T + k, periods end at T + 30 days. */
  readonly T = Math.floor(Date.now() / 1000);
  nowMs = 0;
  /** The Stripe emulator's clock (seconds), for events it emits itself. */
  emulatorNow = this.T;
  readonly clock = { now: () => this.nowMs };

  get db() {
    return this.rig.app.db;
  }

  /** Registers the vitest hooks; call once at the top of a describe block. */
  static use(): MembershipHarness {
    const h = new MembershipHarness();
    beforeAll(async () => {
      h.rig = await startBotRig({ stripe: { clock: () => h.emulatorNow }, background: false });
    });
    afterAll(() => h.rig?.stop());
    beforeEach(async () => {
      h.nowMs = (h.T + 1000) * 1000;
      for (const table of ['stripe_events', 'customers', 'subscriptions', 'lifetime_purchases', 'grants', 'entitlements', 'outbox'] as const) {
        await h.db.deleteFrom(table).execute();
      }
      h.processor = h.newProcessor();
    });
    return h;
  }

  newProcessor(): EventProcessor {
    const deps = this.rig.app.deps;
    return createEventProcessor({ db: this.db, stripe: deps.stripe, tiers: deps.tiers, policy: deps.policy, logger: this.rig.logs.logger, clock: this.clock, ownerChannelId: this.rig.config.ownerChannelId });
  }

  /** POSTs a signed event to the real webhook route, as Stripe does; expects it recorded. */
  async deliver(type: string, object: object, overrides: Parameters<typeof buildEvent>[2] = {}): Promise<Stripe.Event> {
    const event = buildEvent(type, object, overrides);
    const res = await postWebhook(`${this.rig.httpUrl}/stripe/webhook`, event, TEST_SECRETS.STRIPE_WEBHOOK_SECRET);
    expect(res.status).toBe(200);
    return event;
  }

  /** Delivers an event created at T + `at` seconds, then drains. */
  async settle(type: string, object: object, at: number, overrides: Parameters<typeof buildEvent>[2] = {}): Promise<Stripe.Event> {
    const event = await this.deliver(type, object, { created: this.T + at, ...overrides });
    await this.processor.drain();
    return event;
  }

  /** States of one subscription of `userId` (fixed id and customer): Supporter, active, period T .. T+30d. */
  subscriptionOf(userId: string | null, base: SubscriptionFixtureInput = {}) {
    const fixed = { id: fakeId('sub'), customer: fakeId('cus'), priceIds: [SANDBOX_PRICES.supporter], currentPeriodStart: this.T, currentPeriodEnd: this.T + 30 * DAY, metadata: userId ? { discord_user_id: userId } : {}, ...base };
    const state = (over: SubscriptionFixtureInput = {}) => subscriptionFixture({ ...fixed, ...over });
    return Object.assign(state, { id: fixed.id, customer: fixed.customer, periodEnd: fixed.currentPeriodEnd });
  }

  review(): Promise<number> {
    const deps = this.rig.app.deps;
    return reviewExpiredEntitlements({ db: this.db, tiers: deps.tiers, policy: deps.policy, clock: this.clock });
  }

  /** Every role change queued for the member (superseded ones included), oldest first. */
  roleRows(userId: string) {
    return this.db.selectFrom('outbox').select(['kind', 'role_id', 'status', 'source']).where('discord_user_id', '=', userId).where('kind', '!=', 'message').orderBy('id').execute();
  }

  /** The net intent per role: the latest queued change, whether or not a worker applied it yet. */
  async intents(userId: string): Promise<Record<string, 'add' | 'remove'>> {
    const out: Record<string, 'add' | 'remove'> = {};
    for (const r of await this.roleRows(userId)) out[r.role_id!] = r.kind === 'role_add' ? 'add' : 'remove';
    return out;
  }

  entitlement(userId: string) {
    return this.db.selectFrom('entitlements').selectAll().where('discord_user_id', '=', userId).executeTakeFirst();
  }

  async messages() {
    const rows = await this.db.selectFrom('outbox').selectAll().where('kind', '=', 'message').orderBy('id').execute();
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as { target: { userId?: string; channelId?: string }; body: Record<string, any> } }));
  }

  event(id: string) {
    return this.db.selectFrom('stripe_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
}
