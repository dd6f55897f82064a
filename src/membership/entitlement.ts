import type { SubscriptionStatus } from '../db/schema.ts';
import type { Tier, Tiers } from './tiers.ts';

/** What we know of one subscription. Times are epoch ms. */
export interface SubscriptionFacts {
  id: string;
  status: SubscriptionStatus;
  priceIds: readonly string[];
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  endedAt: number | null;
  pastDueSince: number | null;
}

export interface LifetimeFacts {
  id: string;
  priceId: string;
  status: 'paid' | 'refunded' | 'disputed';
}

export interface GrantFacts {
  id: number;
  tierName: string;
  until: number | null;
  revokedAt: number | null;
}

export interface Policy {
  gracePeriodMs: number;
}

export type AccessState = 'active' | 'trialing' | 'past_due' | 'canceling' | 'lifetime' | 'granted';

export type Entitlement =
  | { entitled: true; state: AccessState; /** when access ends unless something changes */ until: number | null }
  | { entitled: false; reason: string };

const NOT_ENTITLED: ReadonlySet<SubscriptionStatus> = new Set(['canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused']);

/**
 * The one entitlement policy, pure: no clock, no I/O.
 * - active and trialing are entitled; cancel_at_period_end (or cancel_at) keeps access until it ends;
 * - past_due stays entitled for the grace period counted from when it *became* past due;
 * - canceled, unpaid, incomplete, incomplete_expired and paused are not.
 */
export function entitlementOf(sub: SubscriptionFacts, now: number, policy: Policy): Entitlement {
  if (sub.endedAt !== null && sub.endedAt <= now) return { entitled: false, reason: 'ended' };
  if (NOT_ENTITLED.has(sub.status)) return { entitled: false, reason: sub.status };
  if (sub.status === 'past_due') {
    // Unknown start cannot happen for stored rows (we stamp the first past_due we see); be strict.
    if (sub.pastDueSince === null) return { entitled: false, reason: 'past_due' };
    const until = sub.pastDueSince + policy.gracePeriodMs;
    return until > now ? { entitled: true, state: 'past_due', until } : { entitled: false, reason: 'grace_period_over' };
  }
  const endsAt = sub.cancelAt ?? (sub.cancelAtPeriodEnd ? sub.currentPeriodEnd : null);
  if (endsAt !== null) return endsAt > now ? { entitled: true, state: 'canceling', until: endsAt } : { entitled: false, reason: 'ended' };
  if (sub.status === 'trialing') return { entitled: true, state: 'trialing', until: null };
  return { entitled: true, state: 'active', until: null };
}

export function lifetimeEntitlement(purchase: LifetimeFacts): Entitlement {
  return purchase.status === 'paid' ? { entitled: true, state: 'lifetime', until: null } : { entitled: false, reason: purchase.status };
}

export function grantEntitlement(grant: GrantFacts, now: number): Entitlement {
  if (grant.revokedAt !== null) return { entitled: false, reason: 'revoked' };
  if (grant.until !== null && grant.until <= now) return { entitled: false, reason: 'expired' };
  return { entitled: true, state: 'granted', until: grant.until };
}

export interface MemberSources {
  subscriptions: readonly SubscriptionFacts[];
  lifetime: readonly LifetimeFacts[];
  grants: readonly GrantFacts[];
}

export interface Decision {
  tier: Tier | null;
  /** The entitlement that gave the tier (the first found at that rank). */
  via: { kind: 'subscription' | 'lifetime' | 'grant'; id: string; entitlement: Extract<Entitlement, { entitled: true }> } | null;
  /** Managed roles the member should hold: the tier's role, or none. */
  roleIds: string[];
  /** The earliest instant at which this decision may change by itself (an entitlement lapsing). */
  expiresAt: number | null;
}

/** A member's tier: the highest rank among everything that entitles them, over all sources. */
export function decide(sources: MemberSources, tiers: Tiers, now: number, policy: Policy): Decision {
  const candidates: { tier: Tier; kind: 'subscription' | 'lifetime' | 'grant'; id: string; entitlement: Extract<Entitlement, { entitled: true }> }[] = [];
  for (const sub of sources.subscriptions) {
    const e = entitlementOf(sub, now, policy);
    if (!e.entitled) continue;
    for (const price of sub.priceIds) {
      const tier = tiers.byPrice(price);
      if (tier) candidates.push({ tier, kind: 'subscription', id: sub.id, entitlement: e });
    }
  }
  for (const purchase of sources.lifetime) {
    const e = lifetimeEntitlement(purchase);
    const tier = tiers.byPrice(purchase.priceId);
    if (e.entitled && tier) candidates.push({ tier, kind: 'lifetime', id: purchase.id, entitlement: e });
  }
  for (const grant of sources.grants) {
    const e = grantEntitlement(grant, now);
    const tier = tiers.byName(grant.tierName);
    if (e.entitled && tier) candidates.push({ tier, kind: 'grant', id: String(grant.id), entitlement: e });
  }
  const ends = candidates.map((c) => c.entitlement.until).filter((u): u is number => u !== null);
  const expiresAt = ends.length ? Math.min(...ends) : null;
  if (candidates.length === 0) return { tier: null, via: null, roleIds: [], expiresAt };
  // Highest rank wins; among equals, the one lasting longest (null = no end) explains the tier best.
  const best = candidates.reduce((a, b) => (b.tier.rank > a.tier.rank || (b.tier.rank === a.tier.rank && lasts(b) > lasts(a)) ? b : a));
  return { tier: best.tier, via: { kind: best.kind, id: best.id, entitlement: best.entitlement }, roleIds: [best.tier.roleId], expiresAt };
}

const lasts = (c: { entitlement: { until: number | null } }) => c.entitlement.until ?? Number.POSITIVE_INFINITY;

/** Queued operations that take the member from `actual` to `desired`, touching only managed roles. */
export function roleDiff(desired: readonly string[], actual: readonly string[], managed: ReadonlySet<string>): { add: string[]; remove: string[] } {
  const want = new Set(desired.filter((r) => managed.has(r)));
  const have = new Set(actual.filter((r) => managed.has(r)));
  return { add: [...want].filter((r) => !have.has(r)).sort(), remove: [...have].filter((r) => !want.has(r)).sort() };
}
