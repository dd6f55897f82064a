import type { MemberSources } from './entitlement.ts';
import { grantFacts, lifetimeFacts, subscriptionFacts } from './member-sync.ts';
import type { DbOrTrx } from './outbox.ts';

/**
 * `loadSources` (member-sync.ts) for a whole page of members at once: three queries for up to a
 * thousand members instead of three thousand, with the same row mapping.
 */
export async function loadSourcesFor(db: DbOrTrx, userIds: readonly string[]): Promise<Map<string, MemberSources>> {
  const out = new Map<string, { subscriptions: MemberSources['subscriptions'][number][]; lifetime: MemberSources['lifetime'][number][]; grants: MemberSources['grants'][number][] }>();
  if (userIds.length === 0) return out;
  const ids = [...userIds];
  const [subs, lifetime, grants] = await Promise.all([
    db.selectFrom('subscriptions').selectAll().where('discord_user_id', 'in', ids).execute(),
    db.selectFrom('lifetime_purchases').selectAll().where('discord_user_id', 'in', ids).execute(),
    db.selectFrom('grants').selectAll().where('discord_user_id', 'in', ids).execute(),
  ]);
  const of = (userId: string) => {
    let sources = out.get(userId);
    if (!sources) out.set(userId, (sources = { subscriptions: [], lifetime: [], grants: [] }));
    return sources;
  };
  for (const s of subs) of(s.discord_user_id!).subscriptions.push(subscriptionFacts(s));
  for (const l of lifetime) of(l.discord_user_id).lifetime.push(lifetimeFacts(l));
  for (const g of grants) of(g.discord_user_id).grants.push(grantFacts(g));
  return out;
}

export const NO_SOURCES: MemberSources = Object.freeze({ subscriptions: [], lifetime: [], grants: [] });
