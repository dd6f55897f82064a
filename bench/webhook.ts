import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import Stripe from 'stripe';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { startHttpServer } from '../src/http/server.ts';
import { createLogger } from '../src/logging/logger.ts';
import { STRIPE_API_VERSION } from '../src/membership/stripe-client.ts';
import { stripeWebhookRoute } from '../src/membership/stripe-webhook.ts';
import { buildPrice } from '../src/sandbox/stripe/objects-catalog.ts';
import { buildSubscription } from '../src/sandbox/stripe/objects-subscription.ts';
import { newId } from '../src/sandbox/stripe/ids.ts';
import { SANDBOX_STRIPE_PRICES } from '../src/sandbox/tiers.ts';
import { figure, type Figure } from './figures.ts';

const SECRET = 'whsec_bench_webhook_secret';
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 16);

/**
 * Signed `customer.subscription.updated` events over loopback HTTP into the real listener
 * (startHttpServer + stripeWebhookRoute, a migrated SQLite file, the real logger writing to
 * /dev/null), beside a bare node:http handler that only verifies the signature, under the same load.
 * Rounds alternate the two so a noisy neighbour hurts both alike; the load generator shares the
 * process with the server in both. Goal: ≥ 0.5× baseline events/s.
 */
export async function benchWebhook(rounds = 3): Promise<Figure[]> {
  const real = { rate: [] as number[], p50: [] as number[], p99: [] as number[] };
  const bare = { rate: [] as number[], p50: [] as number[], p99: [] as number[] };
  // Round 0 warms the JIT for both paths and is not counted.
  for (let i = 0; i <= rounds; i++) {
    for (const [target, into] of [[startReal, real], [startBare, bare]] as const) {
      const server = await target();
      try {
        const result = await load(server.port, signedEvents(i === 0 ? 300 : EVENTS));
        if (i === 0) continue;
        into.rate.push(result.perSecond);
        into.p50.push(result.p50);
        into.p99.push(result.p99);
      } finally {
        await server.close();
      }
    }
  }
  const load_ = `${EVENTS} events, ${CONCURRENCY} concurrent`;
  return [
    figure(`webhook.events_per_s (${load_}; goal ≥ 0.5× baseline)`, real.rate, 'events/s', 'bare node:http + constructEvent', bare.rate),
    figure('webhook.latency_p50', real.p50, 'ms', 'bare node:http + constructEvent', bare.p50),
    figure('webhook.latency_p99', real.p99, 'ms', 'bare node:http + constructEvent', bare.p99),
  ];
}

/** Events as the emulator emits them, over 200 subscriptions, each with a unique id; signed now. */
function signedEvents(n: number): { body: string; signature: string }[] {
  const seed = SANDBOX_STRIPE_PRICES[2]!;
  const now = Math.floor(Date.now() / 1000);
  const price = buildPrice({ id: seed.id, product: 'prod_bench', unitAmount: seed.unitAmount, currency: seed.currency, recurring: seed.recurring ?? null, created: now });
  const subs = Array.from({ length: 200 }, (_, i) =>
    buildSubscription({ customer: newId('cus'), prices: [{ price }], status: 'active', created: now, periodStart: now, periodEnd: now + 30 * 86_400, metadata: { discord_user_id: String(1_400_000_000_000_000_000n + BigInt(i)) } }),
  );
  return Array.from({ length: n }, (_, i) => {
    const event = {
      id: newId('evt'), object: 'event', api_version: STRIPE_API_VERSION, created: now, livemode: false, pending_webhooks: 1,
      request: { id: null, idempotency_key: null }, type: 'customer.subscription.updated',
      data: { object: { ...subs[i % subs.length]!, cancel_at_period_end: i % 2 === 1 }, previous_attributes: { cancel_at_period_end: i % 2 === 0 } },
    };
    const body = JSON.stringify(event);
    return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }) };
  });
}

interface Target {
  port: number;
  close(): Promise<void>;
}

async function startReal(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-webhook-'));
  const db = openDatabase(path.join(dir, 'bench.sqlite'));
  await migrate(db);
  const logger = createLogger({ level: 'info', secrets: [SECRET], destination: pino.destination({ dest: '/dev/null', sync: true }), pretty: false });
  const stripe = new Stripe('sk_test_bench', { apiVersion: STRIPE_API_VERSION });
  const route = stripeWebhookRoute({ db, stripe, webhookSecret: SECRET, logger, clock: { now: () => Date.now() } });
  const listener = await startHttpServer({ 'POST /stripe/webhook': route }, 0, logger);
  return {
    port: listener.port,
    async close() {
      await listener.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startBare(): Promise<Target> {
  const stripe = new Stripe('sk_test_bench', { apiVersion: STRIPE_API_VERSION });
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = stripe.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers['stripe-signature']), SECRET);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: true, id: event.id }));
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** POSTs every event with CONCURRENCY requests in flight over keep-alive sockets; fails on any non-2xx. */
async function load(port: number, events: { body: string; signature: string }[]): Promise<{ perSecond: number; p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  const post = (e: { body: string; signature: string }) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ host: '127.0.0.1', port, path: '/stripe/webhook', method: 'POST', agent, headers: { 'content-type': 'application/json', 'stripe-signature': e.signature, 'content-length': Buffer.byteLength(e.body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode === 200) resolve();
          else reject(new Error(`webhook answered ${res.statusCode}`));
        });
      });
      req.on('error', reject);
      req.end(e.body);
    });
  const worker = async () => {
    while (next < events.length) await post(events[next++]!);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { perSecond: events.length / seconds, p50: at(0.5), p99: at(0.99) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./figures.ts');
  printTable(await benchWebhook(Number(process.argv[2] ?? 3)));
}
