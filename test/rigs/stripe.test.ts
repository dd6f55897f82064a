import path from 'node:path';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithShared, repoRoot, sharedDir, sharedFile } from './shared.ts';
import {
  STRIPE_FIXTURES, buildEvent, fixtureObject, loadStripeFixtures, postWebhook, signPayload, startWebhookReceiver, subscriptionFixture, type WebhookReceiver,
} from './stripe.ts';

const WHSEC = 'whsec_rig_secret';

describe('shared rig', () => {
  it('finds ../shared beside the repository root', () => {
    expect(sharedDir).toBe(path.resolve(repoRoot, '..', 'shared'));
    expect(sharedFile('no-such-dir/nothing.json')).toBeUndefined();
  });

  describeWithShared('a suite whose shared file is absent', 'no-such-dir/nothing.json', () => {
    it('is skipped, never run', () => {
      throw new Error('describeWithShared ran a suite whose ../shared file is missing');
    });
  });
});

describe('webhook signing', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver(WHSEC);
  });
  afterEach(async () => {
    await receiver.close();
  });

  const event = { id: 'evt_rig_1', object: 'event', type: 'customer.created', created: 1, livemode: false, data: { object: { id: 'cus_1', object: 'customer' } } };

  it('signs payloads that constructEvent accepts and rejects once stale', () => {
    const payload = JSON.stringify(event);
    const header = signPayload(payload, WHSEC);
    expect(Stripe.webhooks.constructEvent(payload, header, WHSEC).id).toBe('evt_rig_1');
    const stale = signPayload(payload, WHSEC, Math.floor(Date.now() / 1000) - 301);
    expect(() => Stripe.webhooks.constructEvent(payload, stale, WHSEC)).toThrow(/tolerance/);
  });

  it('posts the raw JSON with a valid signature', async () => {
    const res = await postWebhook(receiver.url, event, WHSEC);
    expect(res.status).toBe(200);
    expect(receiver.events).toEqual([event]);
  });

  it.each(['stale', 'bad', 'wrong-secret', 'tampered', 'missing'] as const)('a %s signature is refused', async (signature) => {
    const res = await postWebhook(receiver.url, event, WHSEC, { signature });
    expect(res.status).toBe(400);
    expect(receiver.events).toEqual([]);
  });
});

describeWithShared('stripe fixtures', STRIPE_FIXTURES, () => {
  it('loads the resources the rig builds on', () => {
    const resources = loadStripeFixtures();
    for (const name of ['subscription', 'invoice', 'checkout.session', 'event', 'customer', 'price', 'billing_portal.session']) {
      expect(resources[name], name).toMatchObject({ object: name });
    }
  });

  it('deep-clones fixture objects and merges overrides', () => {
    const a = fixtureObject<{ metadata: Record<string, string>; email: string | null; address: { city: string | null } }>('customer', { email: 'a@example.test', address: { city: 'Lyon' } });
    a.metadata.tampered = 'yes';
    const b = fixtureObject<typeof a>('customer');
    expect(a).toMatchObject({ email: 'a@example.test', address: { city: 'Lyon', country: null } });
    expect(b.metadata).toEqual({});
    expect(() => fixtureObject('no_such_resource')).toThrow(/no resource/);
  });

  it('builds subscriptions whose period lives on the items, with placeholders reset', () => {
    const sub = subscriptionFixture({ id: 'sub_rig', customer: 'cus_rig', status: 'past_due', priceIds: ['price_a', 'price_b'], currentPeriodEnd: 2_000_000_000, metadata: { discord_user_id: '42' } });
    expect(sub).toMatchObject({ id: 'sub_rig', customer: 'cus_rig', status: 'past_due', cancel_at_period_end: false, cancel_at: null, ended_at: null, trial_end: null, metadata: { discord_user_id: '42' } });
    expect(sub.items.data.map((i) => [i.price.id, i.plan.id, i.current_period_end, i.subscription])).toEqual([
      ['price_a', 'price_a', 2_000_000_000, 'sub_rig'],
      ['price_b', 'price_b', 2_000_000_000, 'sub_rig'],
    ]);
    expect(new Set(sub.items.data.map((i) => i.id)).size).toBe(2);
    expect('current_period_end' in sub).toBe(false);
    expect(subscriptionFixture({ cancelAtPeriodEnd: true, currentPeriodEnd: 99 }).cancel_at).toBe(99);
  });

  it('builds events with unique ids, the pinned api_version and the given clock', () => {
    const sub = subscriptionFixture({ id: 'sub_evt' });
    const first = buildEvent('customer.subscription.updated', sub, { previous_attributes: { status: 'active' } }, () => 1_700_000_000);
    const second = buildEvent('customer.subscription.updated', sub, { created: 5 });
    expect(first.id).not.toBe(second.id);
    expect(first).toMatchObject({ type: 'customer.subscription.updated', api_version: Stripe.API_VERSION, created: 1_700_000_000, object: 'event', data: { object: { id: 'sub_evt' }, previous_attributes: { status: 'active' } } });
    expect(second.created).toBe(5);
    expect(second.data).not.toHaveProperty('previous_attributes');
  });

  it('delivers a fixture-built event that a real verifier accepts unchanged', async () => {
    const receiver = await startWebhookReceiver(WHSEC);
    try {
      const event = buildEvent('customer.subscription.deleted', subscriptionFixture({ status: 'canceled' }));
      expect((await postWebhook(receiver.url, event, WHSEC)).status).toBe(200);
      expect(receiver.events).toEqual([event]);
    } finally {
      await receiver.close();
    }
  });
});
