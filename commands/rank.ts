import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { rankCommand } from '../src/reputation/reputation-flow.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('rank')
    .setDescription('Reputation: points, level, where they came from, and the last 30 days (only you see it)')
    .setContexts(InteractionContextType.Guild)
    .addUserOption((o) => o.setName('member').setDescription('Whose reputation (default: yours)')),
  execute: rankCommand,
});
