// Autocomplete for /challenge: the challenge option (per subcommand: only what that subcommand can
// act on) and the comma-separated tiers option.
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import type { ChallengeState } from '../db/schema-challenges.ts';
import type { Deps } from '../discord/command.ts';
import type { Tiers } from '../membership/tiers.ts';
import { isModerator } from './challenge-access.ts';
import { searchChallenges } from './challenges-repo.ts';

const STATES: Record<string, readonly ChallengeState[]> = {
  submit: ['open'],
  edit: ['scheduled', 'open', 'judging', 'judged'],
  cancel: ['scheduled', 'open', 'judging'],
  show: ['scheduled', 'open', 'judging', 'judged', 'cancelled'],
};
const MODERATORS_ONLY = new Set(['edit', 'cancel']);

export async function challengeAutocomplete(interaction: AutocompleteInteraction, deps: Deps): Promise<void> {
  if (!deps.challenges) return void (await interaction.respond([]));
  const focused = interaction.options.getFocused(true);
  const sub = interaction.options.getSubcommand();
  if (focused.name === 'tiers') return void (await interaction.respond(tierListChoices(deps.tiers, String(focused.value))));
  const states = STATES[sub];
  if (!states || (MODERATORS_ONLY.has(sub) && !isModerator(interaction))) return void (await interaction.respond([]));
  const rows = await searchChallenges(deps.db, states, String(focused.value));
  await interaction.respond(rows.map((c) => ({ name: `#${c.id} · ${c.title} (${c.state})`.slice(0, 100), value: c.id })));
}

/** Pure: completes the last name of "Pro, Sup…"; offers "everyone" and "members" when nothing is typed. */
export function tierListChoices(tiers: Tiers, typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const parts = typed.split(',');
  const last = parts.pop()!.trim().toLowerCase();
  const chosen = parts.map((p) => p.trim()).filter(Boolean);
  const head = chosen.length ? `${chosen.join(', ')}, ` : '';
  const names = [...tiers.list].reverse().filter((t) => !chosen.some((c) => c.toLowerCase() === t.name.toLowerCase()) && t.name.toLowerCase().includes(last));
  const choices = names.map((t) => ({ name: `${head}${t.name}`.slice(0, 100), value: `${head}${t.name}`.slice(0, 100) }));
  if (chosen.length === 0) {
    const keywords = [
      { name: 'members (any paid tier)', value: 'members' },
      { name: 'everyone (no tier needed)', value: 'everyone' },
    ].filter((k) => k.value.includes(last));
    choices.push(...keywords);
  }
  return choices.slice(0, 25);
}
