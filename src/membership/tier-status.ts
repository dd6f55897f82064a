import { time, TimestampStyles } from 'discord.js';
import type { Db } from '../db/database.ts';
import { decide, type MemberSources, type Policy } from './entitlement.ts';
import { loadSources } from './member-sync.ts';
import type { Tier, Tiers } from './tiers.ts';

/** What /tier shows. Dates are Discord timestamps, so each reader sees them in their own time zone. */
export interface TierStatus {
  tier: Tier | null;
  /** "Active", "Trialing until …", "Past due — access until …", "Cancels on …", "Lifetime", "Granted until …". */
  status: string | null;
  /** The next charge, for a subscription that will renew. */
  renewal: string | null;
  /** What to do next, when there is something to do. */
  note: string | null;
}

const day = (ms: number) => time(Math.floor(ms / 1000), TimestampStyles.LongDate);

/** Pure: the member's tier and how they hold it, from everything that can entitle them. */
export function tierStatus(sources: MemberSources, tiers: Tiers, now: number, policy: Policy): TierStatus {
  const decision = decide(sources, tiers, now, policy);
  if (!decision.tier || !decision.via) {
    // Recently lost access through a failed payment: say how to get it back, not just "join".
    const failed = sources.subscriptions.some((s) => s.status === 'unpaid' || s.status === 'past_due');
    const note = failed ? 'The last payment failed and access has ended. Update the card with /billing to get it back.' : null;
    return { tier: null, status: null, renewal: null, note };
  }
  const { kind, id, entitlement } = decision.via;
  const until = entitlement.until;
  const sub = kind === 'subscription' ? sources.subscriptions.find((s) => s.id === id) : undefined;
  const base = { tier: decision.tier, renewal: null, note: null };
  switch (entitlement.state) {
    case 'active':
      return { ...base, status: 'Active', renewal: sub?.currentPeriodEnd ? day(sub.currentPeriodEnd) : null };
    case 'trialing': {
      const ends = sub?.trialEnd ?? sub?.currentPeriodEnd ?? null;
      return { ...base, status: ends ? `Trialing until ${day(ends)}` : 'Trialing', renewal: ends ? day(ends) : null };
    }
    case 'past_due':
      return { ...base, status: `Past due — access until ${day(until!)}`, note: 'The last payment failed. Update the card with /billing to keep access.' };
    case 'canceling':
      return { ...base, status: `Cancels on ${day(until!)}`, note: 'Changed your mind? Resume it with /billing before then.' };
    case 'lifetime':
      return { ...base, status: 'Lifetime: paid once, yours for good' };
    case 'granted':
      return { ...base, status: until ? `Granted until ${day(until)}` : 'Granted, with no end date', note: 'Complimentary access from the moderators.' };
  }
}

export async function loadTierStatus(db: Db, userId: string, tiers: Tiers, now: number, policy: Policy): Promise<TierStatus> {
  return tierStatus(await loadSources(db, userId), tiers, now, policy);
}
