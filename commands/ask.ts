import { SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { UserError } from '../src/discord/user-error.ts';
import { chooseTopics, postAnyway, startAsk, submitAsk } from '../src/qa/ask-flow.ts';

export default defineCommand({
  data: new SlashCommandBuilder().setName('ask').setDescription('Ask the experts a question: it gets its own thread'),
  execute: startAsk,
  components: [
    {
      prefix: 'ask',
      async handle(interaction, _rest, deps) {
        if (!interaction.isModalSubmit()) throw new UserError('expired');
        await submitAsk(interaction, deps);
      },
    },
    {
      prefix: 'ask-topics',
      async handle(interaction, stateId, deps) {
        if (!interaction.isStringSelectMenu()) throw new UserError('expired');
        await chooseTopics(interaction, stateId, deps);
      },
    },
    {
      prefix: 'ask-post',
      async handle(interaction, stateId, deps) {
        if (!interaction.isButton()) throw new UserError('expired');
        await postAnyway(interaction, stateId, deps);
      },
    },
  ],
});
