import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithShared } from '../rigs/shared.ts';
import { buildEvent, postWebhook, STRIPE_FIXTURES, subscriptionFixture } from '../rigs/stripe.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { TEST_SECRETS } from '../rigs/env.ts';

describeWithShared('POST /stripe/webhook on the real listener', STRIPE_FIXTURES, () => {
  let rig: BotRig;
  let url: string;
  beforeAll(async () => {
    rig = await startBotRig({ background: false });
    url = `${rig.httpUrl}/stripe/webhook`;
  });
  afterAll(() => rig.stop());

  const stored = (id: string) => rig.app.db.selectFrom('stripe_events').selectAll().where('id', '=', id).execute();
  const event = () => buildEvent('customer.subscription.updated', subscriptionFixture({ status: 'active' }));

  it('records a verified event durably, keyed by event.id, then answers 200', async () => {
    const e = event();
    const res = await postWebhook(url, e, TEST_SECRETS.STRIPE_WEBHOOK_SECRET);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: true, duplicate: false });
    const rows = await stored(e.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'customer.subscription.updated', created: e.created, processed_at: null });
    expect(JSON.parse(rows[0]!.payload)).toEqual(JSON.parse(JSON.stringify(e)));
  });

  it('acknowledges a redelivery without recording it twice', async () => {
    const e = event();
    await postWebhook(url, e, TEST_SECRETS.STRIPE_WEBHOOK_SECRET);
    const again = await postWebhook(url, e, TEST_SECRETS.STRIPE_WEBHOOK_SECRET);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
    expect(await stored(e.id)).toHaveLength(1);
  });

  it.each(['missing', 'bad', 'stale', 'wrong-secret', 'tampered'] as const)('refuses a %s signature with 400 and a reason, recording nothing', async (signature) => {
    const e = event();
    const res = await postWebhook(url, e, TEST_SECRETS.STRIPE_WEBHOOK_SECRET, { signature });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/Stripe-Signature|signature/i);
    expect(await stored(e.id)).toHaveLength(0);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(600 * 1024), headers: { 'stripe-signature': 't=1,v1=abc' } });
    expect(res.status).toBe(413);
  });

  it('answers 5xx when the event cannot be recorded, so Stripe retries', async () => {
    await rig.app.db.schema.alterTable('stripe_events').renameTo('stripe_events_gone').execute();
    try {
      const res = await postWebhook(url, event(), TEST_SECRETS.STRIPE_WEBHOOK_SECRET);
      expect(res.status).toBe(500);
    } finally {
      await rig.app.db.schema.alterTable('stripe_events_gone').renameTo('stripe_events').execute();
    }
  });
});
