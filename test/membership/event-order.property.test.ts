import fc from 'fast-check';
import type Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { createEventProcessor } from '../../src/membership/event-processor.ts';
import { parseTiers } from '../../src/membership/tiers.ts';
import { SAMPLE } from '../../src/sandbox/discord/fixtures.ts';
import { SANDBOX_PRICES, SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { captureLogs } from '../rigs/logs.ts';
import { describeWithShared } from '../rigs/shared.ts';
import { buildEvent, fixtureObject, STRIPE_FIXTURES, stripeClient, subscriptionFixture } from '../rigs/stripe.ts';

/*
 * Any permutation of a valid event history, with re-deliveries, converges to the same roles as the
 * history delivered in order. invoice.paid is left out: it re-fetches the subscription's *current*
 * state from Stripe, so its effect depends on when it is processed, not on the event; here "paid"
 * is the customer.subscription.updated (past_due -> active) Stripe sends alongside it. The Stripe
 * client points at a closed port, so any handler that reached for the network would fail the run.
 * Grace periods and billing periods are far longer than the history, so the outcome depends on the
 * order of events only (time-based lapses are covered by stripe-events.test.ts and the expiry review).
 */

const tiers = parseTiers(SANDBOX_TIERS);
const policy = { gracePeriodMs: 72 * 3_600_000 };
const MEMBERS = [SAMPLE.users.ada, SAMPLE.users.brian, SAMPLE.users.grace];
const PRICES = [SANDBOX_PRICES.supporter, SANDBOX_PRICES.supporterYearly, SANDBOX_PRICES.pro];
const B = 1_800_000_000; // seconds
const PERIOD_END = B + 30 * 86_400;

type Step = { kind: 'price'; price: string } | { kind: 'cancel'; on: boolean } | { kind: 'past_due' } | { kind: 'paid' } | { kind: 'deleted' };
interface Plan {
  link: 'metadata' | 'checkout' | 'both';
  start: 'active' | 'trialing';
  price: string;
  steps: Step[];
  lifetime: 'none' | 'paid' | 'refunded';
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('price' as const), price: fc.constantFrom(...PRICES) }),
  fc.record({ kind: fc.constant('cancel' as const), on: fc.boolean() }),
  fc.constant({ kind: 'past_due' as const }),
  fc.constant({ kind: 'paid' as const }),
  fc.constant({ kind: 'deleted' as const }),
);
const planArb: fc.Arbitrary<Plan> = fc.record({
  link: fc.constantFrom('metadata', 'checkout', 'both'),
  start: fc.constantFrom('active', 'trialing'),
  price: fc.constantFrom(...PRICES),
  steps: fc.array(stepArb, { maxLength: 8 }),
  lifetime: fc.constantFrom('none', 'paid', 'refunded'),
});

/** The events Stripe would send for these plans, `created` strictly increasing, plus the role each member should end with. */
function history(plans: Plan[]): { events: Stripe.Event[]; expected: Record<string, string[]> } {
  const events: Stripe.Event[] = [];
  const expected: Record<string, string[]> = {};
  const emit = (type: string, object: object, previous?: Record<string, unknown>) =>
    events.push(buildEvent(type, object, { id: `evt_prop_${events.length}`, created: B + 10 * events.length, ...(previous ? { previous_attributes: previous } : {}) }));
  plans.forEach((plan, m) => {
    const user = MEMBERS[m]!;
    const [subId, customer, pi] = [`sub_prop_${m}`, `cus_prop_${m}`, `pi_prop_${m}`];
    const state = { status: plan.start as Stripe.Subscription.Status, price: plan.price, cape: false, endedAt: null as number | null };
    const snapshot = () =>
      subscriptionFixture({ id: subId, customer, status: state.status, priceIds: [state.price], cancelAtPeriodEnd: state.cape, currentPeriodStart: B, currentPeriodEnd: PERIOD_END, endedAt: state.endedAt, canceledAt: state.endedAt, metadata: plan.link === 'checkout' ? {} : { discord_user_id: user } });
    if (plan.link !== 'metadata') emit('checkout.session.completed', session({ customer, client_reference_id: user, subscription: subId, mode: 'subscription' }));
    emit('customer.subscription.created', snapshot());
    for (const step of plan.steps) {
      const before = state.status;
      if (step.kind === 'price' && step.price !== state.price) {
        state.price = step.price;
        emit('customer.subscription.updated', snapshot(), { items: {} });
      } else if (step.kind === 'cancel' && step.on !== state.cape) {
        state.cape = step.on;
        emit('customer.subscription.updated', snapshot(), { cancel_at_period_end: !step.on });
      } else if (step.kind === 'past_due' && (before === 'active' || before === 'trialing')) {
        state.status = 'past_due';
        emit('customer.subscription.updated', snapshot(), { status: before });
      } else if (step.kind === 'paid' && (before === 'past_due' || before === 'trialing')) {
        state.status = 'active';
        emit('customer.subscription.updated', snapshot(), { status: before });
      } else if (step.kind === 'deleted') {
        state.status = 'canceled';
        state.endedAt = B + 10 * events.length;
        emit('customer.subscription.deleted', snapshot(), { status: before });
        break;
      }
    }
    if (plan.lifetime !== 'none') {
      emit('checkout.session.completed', session({ customer, client_reference_id: user, mode: 'payment', payment_intent: pi, metadata: { discord_user_id: user, tier: 'Founder', price_id: SANDBOX_PRICES.founder } }));
      if (plan.lifetime === 'refunded') emit('charge.refunded', fixtureObject('charge', { id: `ch_prop_${m}`, payment_intent: pi, amount: 30000, amount_refunded: 30000, refunded: true }));
    }
    const subRole = state.status === 'canceled' ? [] : [tiers.byPrice(state.price)!.roleId];
    expected[user] = plan.lifetime === 'paid' ? [SAMPLE.roles.founder] : subRole;
  });
  return { events, expected };
}

function session(over: Record<string, unknown>) {
  return fixtureObject('checkout.session', { id: `cs_prop_${String(over.mode)}_${String(over.customer)}`, status: 'complete', payment_status: 'paid', metadata: {}, ...over });
}

const scenarioArb = fc.array(planArb, { minLength: 1, maxLength: 3 }).chain((plans) => {
  const n = history(plans).events.length;
  return fc.record({
    plans: fc.constant(plans),
    redeliver: fc.array(fc.nat({ max: n - 1 }), { maxLength: n }),
    sortKeys: fc.array(fc.nat(), { minLength: 2 * n, maxLength: 2 * n }),
    drainAfter: fc.array(fc.boolean(), { minLength: 2 * n, maxLength: 2 * n }),
  });
});

describeWithShared('event order (property)', STRIPE_FIXTURES, () => {
  let inOrder: TestDatabase;
  let shuffled: TestDatabase;
  beforeAll(async () => {
    [inOrder, shuffled] = await Promise.all([freshDatabase(), freshDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([inOrder?.cleanup(), shuffled?.cleanup()]);
  });

  it('any permutation with re-deliveries converges to the in-order outcome', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ plans, redeliver, sortKeys, drainAfter }) => {
        const { events, expected } = history(plans);
        const now = (B + 10 * events.length + 60) * 1000;
        const ordered = await run(inOrder.db, events, events.map(() => true), now);
        const deliveries = [...events.keys(), ...redeliver].map((index, i) => ({ index, key: sortKeys[i]! })).sort((a, b) => a.key - b.key).map((d) => events[d.index]!);
        const permuted = await run(shuffled.db, deliveries, drainAfter, now);
        expect(ordered.roles).toEqual(expected);
        expect(permuted).toEqual(ordered);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

/** Delivers (records, as the webhook route does) and processes; returns what the history decided. */
async function run(db: Db, deliveries: Stripe.Event[], drainAfter: boolean[], now: number) {
  for (const table of ['stripe_events', 'customers', 'subscriptions', 'lifetime_purchases', 'entitlements', 'outbox'] as const) await db.deleteFrom(table).execute();
  const logs = captureLogs([], 'info');
  const processor = createEventProcessor({ db, stripe: stripeClient('http://127.0.0.1:9', 'sk_test_property_no_network'), tiers, policy, logger: logs.logger, clock: { now: () => now }, ownerChannelId: SAMPLE.channels.owners });
  for (const [i, event] of deliveries.entries()) {
    await db
      .insertInto('stripe_events')
      .values({ id: event.id, type: event.type, created: event.created, livemode: 0, payload: JSON.stringify(event), received_at: now, processed_at: null, last_error: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    if (drainAfter[i]) await processor.drain();
  }
  await processor.drain();
  expect(await db.selectFrom('stripe_events').select(['id', 'last_error']).where((eb) => eb.or([eb('processed_at', 'is', null), eb('last_error', 'is not', null)])).execute()).toEqual([]);
  expect(logs.entries().filter((l) => Number(l.level) >= 40)).toEqual([]);

  const roles: Record<string, string[]> = {};
  for (const e of await db.selectFrom('entitlements').select(['discord_user_id', 'role_ids']).execute()) roles[e.discord_user_id] = JSON.parse(e.role_ids) as string[];
  // Net outbox intent per (member, role): the latest queued change. Members start without managed roles, so "remove" and "nothing" both mean absent.
  const latest = new Map<string, string>();
  for (const r of await db.selectFrom('outbox').select(['discord_user_id', 'role_id', 'kind']).where('kind', '!=', 'message').orderBy('id').execute()) latest.set(`${r.discord_user_id}:${r.role_id}`, r.kind);
  const outboxAdds = [...latest].filter(([, kind]) => kind === 'role_add').map(([pair]) => pair).sort();
  expect(outboxAdds).toEqual(Object.entries(roles).flatMap(([user, ids]) => ids.map((id) => `${user}:${id}`)).sort());
  const subscriptions = await db.selectFrom('subscriptions').select(['id', 'discord_user_id', 'status', 'price_ids', 'cancel_at_period_end', 'cancel_at', 'ended_at', 'state_at']).orderBy('id').execute();
  const lifetime = await db.selectFrom('lifetime_purchases').select(['id', 'status']).orderBy('id').execute();
  return { roles, outboxAdds, subscriptions, lifetime };
}
