import { SlashCommandBuilder } from 'discord.js';
import { periodOption, replyWithBoard } from '../src/challenges/leaderboard-reply.ts';
import { defineCommand } from '../src/discord/command.ts';

// `/leaderboard [period]` (issue 6): points from every source (Q&A solutions, approved posts, ratings,
// challenges), with the caller's own rank. Private, like /rank: the board is for the asker.
export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('leaderboard')
    .setDescription('Top members by points from answers, posts, ratings and challenges')
    .addStringOption((o) =>
      o.setName('period').setDescription('This month (default) or all time').addChoices({ name: 'This month', value: 'month' }, { name: 'All time', value: 'all' }),
    ),
  async execute(interaction, deps) {
    await replyWithBoard(interaction, deps, {
      name: 'Leaderboard',
      timeZone: deps.config.reportTimezone,
      period: periodOption(interaction),
      what: 'Points from accepted answers, approved posts, ratings and challenges',
    });
  },
});
