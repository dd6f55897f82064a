import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { sharedFile, sharedMissingMessage } from './shared.ts';

/** The Stripe rig: fixture-built objects and events, real signatures, raw-body delivery, a real client for the emulator. */

export const STRIPE_FIXTURES = 'stripe-fixtures/fixtures3.json';
type Json = Record<string, unknown>;
let cache: Record<string, Json> | undefined;

/** `resources` of Stripe's fixtures3.json (one example object per resource). Use inside `describeWithShared(…, STRIPE_FIXTURES, …)`. */
export function loadStripeFixtures(): Record<string, Json> {
  if (cache) return cache;
  const file = sharedFile(STRIPE_FIXTURES);
  if (!file) throw new Error(`${sharedMissingMessage(STRIPE_FIXTURES)}; wrap this test in describeWithShared()`);
  cache = (JSON.parse(readFileSync(file, 'utf8')) as { resources: Record<string, Json> }).resources;
  return cache;
}

const isPlain = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Plain objects merge key by key; arrays, primitives and null replace. */
export function deepMerge<T>(base: T, overrides: unknown): T {
  if (!isPlain(base) || !isPlain(overrides)) return (overrides === undefined ? base : overrides) as T;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(overrides)) out[k] = v === undefined ? out[k] : deepMerge(out[k], v);
  return out as T;
}

/** A deep clone of `resources[name]` with `overrides` merged in. */
export function fixtureObject<T = Json>(name: string, overrides: unknown = {}): T {
  const base = loadStripeFixtures()[name];
  if (!base) throw new Error(`fixtures3.json has no resource '${name}'`);
  return deepMerge(structuredClone(base), overrides) as T;
}

export const fakeId = (prefix: string): string => `${prefix}_test${randomBytes(9).toString('hex')}`;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** An event around `dataObject`: unique id, the pinned api_version, `created` given or read from `clock`. */
export function buildEvent(type: string, dataObject: object, overrides: Json & { previous_attributes?: Json } = {}, clock: () => number = nowSeconds): Stripe.Event {
  const { previous_attributes, ...rest } = overrides;
  const event = fixtureObject<Json>('event', { id: fakeId('evt'), created: clock(), api_version: Stripe.API_VERSION, type, pending_webhooks: 1, ...rest });
  event.data = previous_attributes ? { object: structuredClone(dataObject), previous_attributes } : { object: structuredClone(dataObject) };
  return event as unknown as Stripe.Event;
}

export interface SubscriptionFixtureInput {
  id?: string;
  customer?: string;
  status?: Stripe.Subscription.Status;
  priceIds?: string[];
  currentPeriodStart?: number;
  currentPeriodEnd?: number;
  metadata?: Record<string, string>;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  canceledAt?: number | null;
  endedAt?: number | null;
  trialEnd?: number | null;
  created?: number;
  latestInvoice?: string | null;
}

/**
 * A subscription from the fixture, with the fixture's placeholder dates and flags reset to a plain
 * active subscription. In this API version the period lives on each item (`items.data[].current_period_end`).
 */
export function subscriptionFixture(input: SubscriptionFixtureInput = {}): Stripe.Subscription {
  const id = input.id ?? fakeId('sub');
  const start = input.currentPeriodStart ?? nowSeconds();
  const end = input.currentPeriodEnd ?? start + 30 * 86_400;
  const template = fixtureObject<Json>('subscription_item');
  const items = (input.priceIds ?? ['price_test_pro']).map((priceId) =>
    deepMerge(structuredClone(template), { id: fakeId('si'), subscription: id, current_period_start: start, current_period_end: end, price: { id: priceId }, plan: { id: priceId } }),
  );
  const sub = fixtureObject<Json>('subscription', {
    id,
    customer: input.customer ?? fakeId('cus'),
    status: input.status ?? 'active',
    created: input.created ?? start,
    start_date: input.created ?? start,
    billing_cycle_anchor: start,
    metadata: input.metadata ?? {},
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    cancel_at: input.cancelAt ?? (input.cancelAtPeriodEnd ? end : null),
    canceled_at: input.canceledAt ?? null,
    ended_at: input.endedAt ?? null,
    trial_start: input.trialEnd ? start : null,
    trial_end: input.trialEnd ?? null,
    latest_invoice: input.latestInvoice ?? null,
    pending_update: null,
    next_pending_invoice_item_invoice: null,
  });
  sub.items = { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` };
  return sub as unknown as Stripe.Subscription;
}

/** `Stripe-Signature` for `payload`, exactly as stripe-node's test helper builds it. */
export function signPayload(payload: string, secret: string, timestamp: number = nowSeconds()): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

export interface PostWebhookOptions {
  /** valid (default); stale: signed 10 minutes ago; bad: a well-formed but wrong v1; wrong-secret; tampered: body changed after signing; missing: no header. */
  signature?: 'valid' | 'stale' | 'bad' | 'wrong-secret' | 'tampered' | 'missing';
  timestamp?: number;
}

/** POSTs the exact JSON text with a `Stripe-Signature`, as Stripe does; returns the listener's status and body. */
export async function postWebhook(url: string, event: object | string, secret: string, opts: PostWebhookOptions = {}): Promise<{ status: number; body: string }> {
  const kind = opts.signature ?? 'valid';
  const payload = typeof event === 'string' ? event : JSON.stringify(event);
  const ts = opts.timestamp ?? (kind === 'stale' ? nowSeconds() - 600 : nowSeconds());
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' };
  if (kind !== 'missing') {
    headers['stripe-signature'] =
      kind === 'bad' ? `t=${ts},v1=${'0'.repeat(64)}` : signPayload(payload, kind === 'wrong-secret' ? 'whsec_not_the_endpoint_secret' : secret, ts);
  }
  const body = kind === 'tampered' ? payload.replace(/"livemode":\s*false/, '"livemode":true') + ' ' : payload;
  return httpPost(url, body, headers);
}

function httpPost(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // agent:false: no pooled keep-alive socket that would hold the listener's close() open.
    const req = request(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A real stripe-node client pointed at a local API (the emulator), never the internet. */
export function stripeClient(apiUrl: string, secretKey: string): Stripe {
  const url = new URL(apiUrl);
  return new Stripe(secretKey, { host: url.hostname, port: Number(url.port), protocol: 'http', apiVersion: Stripe.API_VERSION, maxNetworkRetries: 0 });
}

export interface WebhookReceiver {
  url: string;
  /** Events that passed `constructEvent`, in arrival order. */
  events: Stripe.Event[];
  /** Every arrival: its status answered and, when verification failed, why. */
  arrivals: { status: number; eventId?: string; error?: string }[];
  /** Decides the HTTP status for a verified event (default 200), e.g. to fail the first attempt. */
  respond: (event: Stripe.Event, attempt: number) => number;
  close(): Promise<void>;
}

/** A bare node:http endpoint that verifies signatures on the raw body with the default 300 s tolerance. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const attempts = new Map<string, number>();
  const receiver = { events: [], arrivals: [], respond: () => 200 } as unknown as WebhookReceiver;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = Stripe.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers['stripe-signature'] ?? ''), secret);
        const attempt = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, attempt);
        const status = receiver.respond(event, attempt);
        if (status < 300) receiver.events.push(event);
        receiver.arrivals.push({ status, eventId: event.id });
        res.writeHead(status).end();
      } catch (err) {
        receiver.arrivals.push({ status: 400, error: err instanceof Error ? err.message : String(err) });
        res.writeHead(400).end(err instanceof Error ? err.message : 'bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe/webhook`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
