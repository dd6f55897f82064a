import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';
import { decide } from '../membership/entitlement.ts';
import { loadSources } from '../membership/member-sync.ts';
import type { Tier } from '../membership/tiers.ts';
import type { QaSetup } from './qa-config.ts';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Pure: whether a member with this tier may ask. `askers` lists tier names exactly (a Pro member is
 * not let in by "Supporter" alone: the owner lists every tier that may ask). Moderators always may,
 * so they can demonstrate and test the flow.
 */
export function mayAsk(qa: Pick<QaSetup, 'askers'>, tierName: string | null, isModerator: boolean): boolean {
  if (qa.askers === 'everyone' || isModerator) return true;
  return tierName !== null && qa.askers.some((name) => same(name, tierName));
}

/** Pure: hours before the unanswered reminder; a Q&A priority tier gets its own, shorter delay. */
export function reminderHoursFor(qa: Pick<QaSetup, 'priorityTiers' | 'reminderHours'>, tierName: string | null): number {
  if (tierName === null) return qa.reminderHours;
  const entry = Object.entries(qa.priorityTiers).find(([name]) => same(name, tierName));
  return entry ? entry[1] : qa.reminderHours;
}

export function refusal(qa: Pick<QaSetup, 'askers'>): UserError {
  const names = qa.askers === 'everyone' ? 'members' : `${qa.askers.join(', ')} members`;
  return new UserError('forbidden', `Q&A is for ${names}: /join`);
}

/**
 * The member's tier now, from every source (subscriptions, lifetime purchases, grants), as the
 * membership feature decides it; throws the refusal when they may not ask.
 */
export async function requireAsker(
  deps: Pick<Deps, 'db' | 'tiers' | 'policy'>,
  qa: QaSetup,
  asker: { userId: string; isModerator: boolean },
  now: number,
): Promise<Tier | null> {
  const tier = decide(await loadSources(deps.db, asker.userId), deps.tiers, now, deps.policy).tier;
  if (!mayAsk(qa, tier?.name ?? null, asker.isModerator)) throw refusal(qa);
  return tier;
}
