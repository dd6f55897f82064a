import { PermissionFlagsBits, type RepliableInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';
import { decide } from '../membership/entitlement.ts';
import { loadSources } from '../membership/member-sync.ts';
import type { DbOrTrx } from '../membership/outbox.ts';
import type { Tier } from '../membership/tiers.ts';
import type { PostsSetup } from './posts-config.ts';

export function postsOf(deps: Pick<Deps, 'posts'>): PostsSetup {
  if (!deps.posts) throw new UserError('wrong_place', 'Member posts are not switched on in this server. An admin turns them on by setting CONTENT_CHANNEL_ID.');
  return deps.posts;
}

/** ManageMessages, from the interaction (checked here, server-side; null in DMs, where nobody moderates). */
export const isModerator = (interaction: Pick<RepliableInteraction, 'memberPermissions'>): boolean => interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;

export function requireModerator(interaction: RepliableInteraction): void {
  if (!isModerator(interaction)) throw new UserError('forbidden', 'Only moderators (Manage Messages) review posts.');
}

/** The member's tier now, from every source, as the membership feature decides it. */
export async function tierOf(deps: { db: DbOrTrx } & Pick<Deps, 'tiers' | 'policy'>, userId: string, now: number): Promise<Tier | null> {
  return decide(await loadSources(deps.db, userId), deps.tiers, now, deps.policy).tier;
}

/** Posting is for paying members (any tier); moderators always may, to show and test the flow. */
export async function requirePoster(deps: Pick<Deps, 'db' | 'tiers' | 'policy'>, userId: string, moderator: boolean, now: number): Promise<Tier | null> {
  const tier = await tierOf(deps, userId, now);
  if (!tier && !moderator) throw new UserError('forbidden', 'Posting is for paying members: /join to become one.');
  return tier;
}
