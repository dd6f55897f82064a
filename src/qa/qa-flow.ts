// /qa search (members: whoever may ask) and /qa stats (moderators, checked here as well as by
// Discord's command settings, since both live under one command).
import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Db } from '../db/database.ts';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { decide, type Policy } from '../membership/entitlement.ts';
import { loadSourcesFor, NO_SOURCES } from '../membership/reconcile-sources.ts';
import type { Tiers } from '../membership/tiers.ts';
import { qaOf } from './ask-flow.ts';
import { searchView, statsEmbed } from './qa-views.ts';
import { searchSolved } from './search.ts';
import { qaStats } from './stats.ts';
import { requireAsker } from './who-may-ask.ts';

export const SEARCH_LIMIT = 5;
export const STATS_PERIODS = [7, 30] as const;

const isModerator = (i: ChatInputCommandInteraction) => i.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;

/** Ephemeral: solved questions stay inside the server, and only members who may ask can search them. */
export async function qaSearch(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const qa = qaOf(deps);
  if (!interaction.inGuild()) throw new UserError('wrong_place', 'Search in the community server.');
  await requireAsker(deps, qa, { userId: interaction.user.id, isModerator: isModerator(interaction) }, deps.clock.now());
  const query = interaction.options.getString('query', true);
  const hits = await searchSolved(deps.db, query, SEARCH_LIMIT);
  await interaction.reply({ ...searchView(query, hits, deps.config.guildId), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

/** Askers' tiers now, as the membership feature decides them (all sources). */
export function tiersOf(db: Db, tiers: Tiers, policy: Policy, now: number) {
  return async (askerIds: readonly string[]): Promise<ReadonlyMap<string, string | null>> => {
    const out = new Map<string, string | null>();
    // Chunks keep each IN (...) far below SQLite's bound-parameter limit.
    for (let i = 0; i < askerIds.length; i += 500) {
      const chunk = askerIds.slice(i, i + 500);
      const sources = await loadSourcesFor(db, chunk);
      for (const id of chunk) out.set(id, decide(sources.get(id) ?? NO_SOURCES, tiers, now, policy).tier?.name ?? null);
    }
    return out;
  };
}

export async function qaStatsCommand(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  qaOf(deps);
  if (!isModerator(interaction)) throw new UserError('forbidden', 'Q&A statistics are for moderators (Manage Messages).');
  const period = interaction.options.getInteger('period');
  const periods = period === null ? STATS_PERIODS : [period];
  const asOf = deps.clock.now();
  const lookup = tiersOf(deps.db, deps.tiers, deps.policy, asOf);
  const embeds = [];
  for (const days of periods) embeds.push(statsEmbed(await qaStats(deps.db, { asOf, days, tiersOf: lookup })));
  await interaction.reply({ embeds, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
