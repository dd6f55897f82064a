import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command, CommandInteraction, CommandRegistry, ComponentHandler } from './command.ts';

export const COMMANDS_DIR = fileURLToPath(new URL('../../commands', import.meta.url));

// Discord's rule for command and option names; the OpenAPI description does not check it.
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const PREFIX = /^[a-z][a-z0-9-]{0,19}$/;

export class CommandLoadError extends Error {
  override name = 'CommandLoadError';
}

/** Loads every command file in `dir`; any malformed module stops startup with a precise message. */
export async function loadCommands(dir: string = COMMANDS_DIR): Promise<CommandRegistry> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !/\.(d|test)\.[mc]?[tj]s$/.test(f)).sort();
  const modules: { file: string; value: unknown }[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: unknown };
    modules.push({ file, value: mod.default });
  }
  return buildRegistry(modules);
}

export function buildRegistry(modules: { file: string; value: unknown }[]): CommandRegistry {
  const commands = new Map<string, Command<CommandInteraction>>();
  const components = new Map<string, ComponentHandler>();
  for (const { file, value } of modules) {
    const command = checkCommand(file, value);
    const name = command.data.name;
    if (commands.has(name)) throw new CommandLoadError(`commands/${file}: a command named "${name}" is already defined by another file.`);
    commands.set(name, command);
    for (const handler of command.components ?? []) {
      if (!PREFIX.test(handler.prefix)) {
        throw new CommandLoadError(`commands/${file}: component prefix "${handler.prefix}" must be 1-20 lowercase letters, digits or dashes.`);
      }
      if (components.has(handler.prefix)) throw new CommandLoadError(`commands/${file}: component prefix "${handler.prefix}" is already used.`);
      components.set(handler.prefix, handler);
    }
  }
  return { commands, components };
}

function checkCommand(file: string, value: unknown): Command<CommandInteraction> {
  const where = `commands/${file}`;
  const shape = 'It must `export default { data: new SlashCommandBuilder()..., execute(interaction, deps) { ... } }`.';
  if (typeof value !== 'object' || value === null) throw new CommandLoadError(`${where}: has no default export. ${shape}`);
  const candidate = value as Partial<Command<CommandInteraction>>;
  if (typeof candidate.data?.toJSON !== 'function') throw new CommandLoadError(`${where}: "data" is missing or is not a command builder. ${shape}`);
  if (typeof candidate.execute !== 'function') throw new CommandLoadError(`${where}: "execute" is missing or is not a function. ${shape}`);
  if (candidate.autocomplete !== undefined && typeof candidate.autocomplete !== 'function') {
    throw new CommandLoadError(`${where}: "autocomplete" must be a function when present.`);
  }
  let json: ReturnType<Command['data']['toJSON']>;
  try {
    json = candidate.data.toJSON();
  } catch (error) {
    throw new CommandLoadError(`${where}: its builder is invalid: ${(error as Error).message}`);
  }
  checkNames(where, json);
  return candidate as Command<CommandInteraction>;
}

interface Named { name: string; description?: string; type?: number; options?: Named[] }

function checkNames(where: string, json: Named, isChatInput = (json.type ?? 1) === 1): void {
  // Context-menu names ("Mark as solution") may hold spaces and capitals; slash names may not.
  const valid = isChatInput ? NAME.test(json.name) && json.name === json.name.toLowerCase() : json.name.length >= 1 && json.name.length <= 32;
  if (!valid) throw new CommandLoadError(`${where}: "${json.name}" is not a valid name (1-32 lowercase letters, digits, - or _).`);
  if (isChatInput && !json.description) throw new CommandLoadError(`${where}: "${json.name}" needs a description.`);
  if ((json.options?.length ?? 0) > 25) throw new CommandLoadError(`${where}: "${json.name}" has more than 25 options.`);
  for (const option of json.options ?? []) checkNames(where, option, isChatInput);
}
