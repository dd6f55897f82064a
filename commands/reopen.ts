import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { reopenCommand } from '../src/qa/solve-flow.ts';

/** Inside a question thread: undo "solved" (or "stale"); the asker or a moderator. */
export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('reopen')
    .setDescription('Reopen this question (asker or moderator): removes the solution and the Solved tag')
    .setContexts(InteractionContextType.Guild),
  execute: reopenCommand,
});
