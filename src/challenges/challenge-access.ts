// Who may do what: challenges switched on, moderators (ManageMessages, checked server-side because
// one /challenge command cannot carry per-subcommand permissions), and who may enter.
import { PermissionFlagsBits, type AutocompleteInteraction, type RepliableInteraction } from 'discord.js';
import type { ChallengeOpenTo } from '../db/schema-challenges.ts';
import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';
import { decide } from '../membership/entitlement.ts';
import { loadSources } from '../membership/member-sync.ts';
import type { ChallengeSetup } from './challenge-config.ts';
import { describeEntryRule } from './challenge-input.ts';

export function challengesOf(deps: Pick<Deps, 'challenges'>): ChallengeSetup {
  if (!deps.challenges) throw new UserError('wrong_place', 'Challenges are not switched on in this server. An admin turns them on by setting CHALLENGE_CHANNEL_ID.');
  return deps.challenges;
}

export const isModerator = (interaction: RepliableInteraction | AutocompleteInteraction) => interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;

export function requireModerator(interaction: RepliableInteraction): void {
  if (!isModerator(interaction)) throw new UserError('forbidden', 'Only moderators (Manage Messages) create, edit and cancel challenges.');
}

/** Pure: whether a member of this tier (null = no paid tier) may enter. Tier names match exactly, ignoring case. */
export function mayEnter(rule: { open_to: ChallengeOpenTo; tiers: string | null }, tierName: string | null): boolean {
  if (rule.open_to === 'everyone') return true;
  if (tierName === null) return false;
  if (rule.open_to === 'members') return true;
  return (JSON.parse(rule.tiers ?? '[]') as string[]).some((t) => t.toLowerCase() === tierName.toLowerCase());
}

/** The member's tier now, from every payment source and grant, as the membership feature decides it. */
export async function requireEntrant(deps: Pick<Deps, 'db' | 'tiers' | 'policy'>, rule: { open_to: ChallengeOpenTo; tiers: string | null }, userId: string, now: number): Promise<void> {
  if (rule.open_to === 'everyone') return;
  const tier = decide(await loadSources(deps.db, userId), deps.tiers, now, deps.policy).tier;
  if (!mayEnter(rule, tier?.name ?? null)) {
    const yours = tier ? `Your tier, ${tier.name}, is not among them.` : 'You have no paid tier.';
    throw new UserError('forbidden', `This challenge is for ${describeEntryRule(rule)}. ${yours} See /tiers, then /join.`);
  }
}
