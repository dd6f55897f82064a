// Plays the plan's payments on the Stripe emulator at their past instants. Each member's story is a
// sequence (checkout, renewals at the period ends Stripe computed, declines, price changes,
// cancellations); stories of different members run side by side in rounds. Between rounds the bot
// must have applied every event: invoice.paid makes it fetch the subscription as it is now, so a
// subscription may change again only once the bot has seen its last state.
import type Stripe from 'stripe';
import type { StripeEmulator } from './stripe/index.ts';
import { atDays } from './history-chat.ts';
import { DAY_MS, HISTORY_MEMBERS, LIFETIME_PRICE_ID, PLAN_PRICE_IDS, type PlannedMember } from './history.ts';

export interface BillingPorts {
  stripe: StripeEmulator;
  /** True once the bot has applied every Stripe event it recorded. */
  stripeApplied(): Promise<boolean>;
  /** Polls `check` until it holds; throws `what` on timeout. */
  until(check: () => Promise<boolean>, what: string): Promise<void>;
}

export interface BillingSummary {
  checkouts: number;
  renewals: number;
  declines: number;
  priceChanges: number;
  cancellations: number;
  events: number;
  rounds: number;
}

interface Story {
  member: PlannedMember;
  lifetimeDone: boolean;
  index: number;
  subscriptionId?: string;
  customerId?: string;
  periodEnds: number;
  changesDone: number;
  cancelled: boolean;
  cancelRequested: boolean;
  failedAt?: number;
  recovered: boolean;
}

interface Action {
  at: number;
  kind: keyof Omit<BillingSummary, 'events' | 'rounds'>;
  run(): Promise<{ events: unknown[]; subscription?: Stripe.Subscription; customer?: Stripe.Customer | null }>;
}

/** The story's next step before `now` (ms), or null when it has nothing more to do. */
function nextAction(story: Story, stripe: StripeEmulator, now: number): Action | null {
  const { member } = story;
  const sec = (ms: number) => Math.floor(ms / 1000);
  if (member.lifetime !== undefined && !story.lifetimeDone) {
    story.lifetimeDone = true;
    const at = atDays(now, member.lifetime);
    return { at, kind: 'checkouts', run: () => stripe.history.checkout({ userId: member.id, priceId: LIFETIME_PRICE_ID, at: sec(at), email: `${member.name}@example.test` }) };
  }
  const plan = member.subscriptions?.[story.index];
  if (!plan) return null;
  if (!story.subscriptionId) {
    const at = atDays(now, plan.start);
    return {
      at, kind: 'checkouts',
      async run() {
        const paid = await stripe.history.checkout({ userId: member.id, priceId: PLAN_PRICE_IDS[plan.price], at: sec(at), customerId: story.customerId, email: `${member.name}@example.test`, trialDays: plan.trialDays });
        story.subscriptionId = paid.subscription!.id;
        story.customerId = paid.customer!.id;
        return paid;
      },
    };
  }
  const id = story.subscriptionId;
  const sub = stripe.store.subscriptions.get(id)!;
  if (sub.status === 'canceled') {
    Object.assign(story, { index: story.index + 1, subscriptionId: undefined, periodEnds: 0, changesDone: 0, cancelled: false, cancelRequested: false, failedAt: undefined, recovered: false });
    return nextAction(story, stripe, now);
  }
  const options: Action[] = [];
  /** `mark` records, as the action runs, that this step of the story is done. */
  const add = (at: number, kind: Action['kind'], mark: () => void, act: () => ReturnType<Action['run']>) =>
    options.push({ at, kind, run: () => { mark(); return act(); } });
  const change = plan.changes?.[story.changesDone];
  if (change) {
    const at = atDays(now, change.days);
    add(at, 'priceChanges', () => (story.changesDone += 1), () => stripe.history.changePrice(id, PLAN_PRICE_IDS[change.price], sec(at)));
  }
  if (plan.cancel !== undefined && !story.cancelled) {
    const at = atDays(now, plan.cancel);
    add(at, 'cancellations', () => (story.cancelled = true), () => stripe.history.cancel(id, sec(at)));
  }
  if (plan.cancelAtPeriodEnd !== undefined && !story.cancelRequested) {
    const at = atDays(now, plan.cancelAtPeriodEnd);
    add(at, 'cancellations', () => (story.cancelRequested = true), () => stripe.history.cancel(id, sec(at), { atPeriodEnd: true }));
  }
  const fails = plan.failsRenewal;
  if (sub.status === 'past_due' && story.failedAt !== undefined) {
    if (fails?.recoverAfterDays !== undefined && !story.recovered) {
      const at = story.failedAt + Math.round(fails.recoverAfterDays * DAY_MS);
      add(at, 'renewals', () => (story.recovered = true), () => stripe.history.renew(id, sec(at)));
    }
    if (fails?.canceledAt !== undefined && !story.cancelled) {
      const at = atDays(now, fails.canceledAt);
      add(at, 'cancellations', () => (story.cancelled = true), () => stripe.history.cancel(id, sec(at)));
    }
  } else {
    // Stripe bills at the period end it computed (calendar months), not at a day the plan chose.
    const end = (sub.items.data[0]?.current_period_end ?? Number.POSITIVE_INFINITY) * 1000;
    const declined = fails?.n === story.periodEnds + 1;
    const mark = () => {
      story.periodEnds += 1;
      if (declined) story.failedAt = end;
    };
    add(end, declined ? 'declines' : 'renewals', mark, () => (declined ? stripe.history.failPayment(id, sec(end)) : stripe.history.renew(id, sec(end))));
  }
  const due = options.filter((o) => o.at < now).sort((a, b) => a.at - b.at)[0];
  return due ?? null;
}

/** Every payment of the plan, as Stripe would have sent it over the 12 weeks before `now`. */
export async function playBilling(ports: BillingPorts, now: number): Promise<BillingSummary> {
  const { stripe } = ports;
  const summary: BillingSummary = { checkouts: 0, renewals: 0, declines: 0, priceChanges: 0, cancellations: 0, events: 0, rounds: 0 };
  const stories: Story[] = HISTORY_MEMBERS.filter((m) => m.subscriptions || m.lifetime !== undefined).map((member) => ({
    member, lifetimeDone: false, index: 0, periodEnds: 0, changesDone: 0, cancelled: false, cancelRequested: false, recovered: false,
  }));
  for (;;) {
    const round = stories.map((s) => nextAction(s, stripe, now)).filter((a): a is Action => a !== null);
    if (round.length === 0) return summary;
    const results = await Promise.all(round.map((a) => a.run()));
    for (const a of round) summary[a.kind] += 1;
    summary.events += results.reduce((n, r) => n + r.events.length, 0);
    summary.rounds += 1;
    await ports.until(async () => stripe.deliveries.every((d) => d.status !== 'pending') && (await ports.stripeApplied()), 'the bot to apply the Stripe events');
  }
}
