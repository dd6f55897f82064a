import { REST, Routes, type RESTPutAPIApplicationGuildCommandsResult } from 'discord.js';
import type { CommandRegistry } from './command.ts';

/**
 * Bulk overwrite: one PUT replaces the guild's whole command list, so removed commands vanish and
 * renamed ones never linger. Guild commands (not global) update instantly.
 */
export async function registerGuildCommands(
  rest: REST,
  applicationId: string,
  guildId: string,
  registry: CommandRegistry,
): Promise<RESTPutAPIApplicationGuildCommandsResult> {
  const body = [...registry.commands.values()].map((command) => command.data.toJSON());
  return (await rest.put(Routes.applicationGuildCommands(applicationId, guildId), { body })) as RESTPutAPIApplicationGuildCommandsResult;
}
