import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { rateButton } from '../src/reputation/rate-button.ts';
import { POST_KINDS, topCommand } from '../src/reputation/reputation-flow.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('top')
    .setDescription('The best member posts: rating, readers and freshness (only you see it)')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) =>
      o
        .setName('period')
        .setDescription('Published within (default: the last 30 days)')
        .addChoices({ name: 'the last 7 days', value: 'week' }, { name: 'the last 30 days', value: 'month' }, { name: 'all time', value: 'all' }),
    )
    .addStringOption((o) =>
      o
        .setName('kind')
        .setDescription('Only this kind of post')
        .addChoices(...POST_KINDS.map((k) => ({ name: k, value: k }))),
    ),
  execute: topCommand,
  // The rating buttons under published posts (custom_id rate:<postId>:<stars>).
  components: [rateButton],
});
