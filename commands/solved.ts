import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { solvedCommand } from '../src/qa/solve-flow.ts';

/** Inside a question thread: mark the solution by link, or the latest answer when none is given. */
export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('solved')
    .setDescription('Mark this question solved (asker or moderator): by message link, or the latest answer')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) =>
      o.setName('message').setDescription('Link to the answer that solved it (right-click → Copy Message Link); default: the latest answer').setMaxLength(200),
    ),
  execute: solvedCommand,
});
