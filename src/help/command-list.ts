import type { RESTPostAPIApplicationCommandsJSONBody, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export interface HelpEntry {
  /** How the member invokes it: "/challenge submit", or "Apps › Mark as solution" for context menus. */
  usage: string;
  description: string;
  options: { name: string; description: string; required: boolean }[];
}

const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

/** Flattens registered command JSON into one entry per invocable thing (subcommands expanded). */
export function helpEntries(commands: RESTPostAPIApplicationCommandsJSONBody[]): HelpEntry[] {
  const entries: HelpEntry[] = [];
  for (const command of commands) {
    if ((command.type ?? 1) !== 1) {
      entries.push({ usage: `Apps › ${command.name}`, description: 'Right-click (or long-press) a message or member, then Apps.', options: [] });
      continue;
    }
    const chatInput = command as RESTPostAPIChatInputApplicationCommandsJSONBody;
    walk(`/${chatInput.name}`, chatInput.description, (chatInput.options ?? []) as OptionJson[], entries);
  }
  return entries.sort((a, b) => a.usage.localeCompare(b.usage));
}

interface OptionJson { type: number; name: string; description: string; required?: boolean; options?: OptionJson[] }

function walk(usage: string, description: string, options: readonly OptionJson[], out: HelpEntry[]): void {
  const nested = options.filter((o) => o.type === SUBCOMMAND || o.type === SUBCOMMAND_GROUP);
  if (nested.length === 0) {
    out.push({ usage, description, options: options.map((o) => ({ name: o.name, description: o.description, required: o.required ?? false })) });
    return;
  }
  for (const sub of nested) walk(`${usage} ${sub.name}`, sub.description, sub.options ?? [], out);
}
