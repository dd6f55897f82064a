import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { Tiers } from './tiers.ts';

/** Autocomplete choices for a tier option: names containing what the member typed, lowest rank first. */
export function tierChoices(tiers: Tiers, typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const needle = typed.trim().toLowerCase();
  return [...tiers.list]
    .reverse()
    .filter((t) => t.name.toLowerCase().includes(needle))
    .slice(0, 25) // Discord's limit per autocomplete answer
    .map((t) => ({ name: t.lifetime ? `${t.name} (one-time, for life)` : t.name, value: t.name }));
}
