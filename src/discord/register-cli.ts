import { REST, Routes, type APIApplication } from 'discord.js';
import { loadConfigOrExit } from '../config.ts';
import { loadCommands } from './command-loader.ts';
import { registerGuildCommands } from './register.ts';

// `npm run register`: the same bulk overwrite the bot does at startup, without starting the bot.
const config = loadConfigOrExit();
const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken);
try {
  const registry = await loadCommands();
  const app = (await rest.get(Routes.currentApplication())) as APIApplication;
  const registered = await registerGuildCommands(rest, app.id, config.guildId, registry);
  console.log(`Registered ${registered.length} commands in guild ${config.guildId}: ${registered.map((c) => c.name).join(', ')}`);
} catch (error) {
  console.error(`Could not register commands: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
