import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { qaSearch, qaStatsCommand, STATS_PERIODS } from '../src/qa/qa-flow.ts';

/**
 * /qa search: members who may ask. /qa stats: moderators. Both share one command, so Discord's
 * default_member_permissions cannot tell them apart: stats checks ManageMessages itself.
 */
export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('qa')
    .setDescription('Search solved questions, or see Q&A statistics')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('search')
        .setDescription('Search solved questions (only you see the results)')
        .addStringOption((o) => o.setName('query').setDescription('Words to look for in titles, questions, topics and solutions').setRequired(true).setMinLength(2).setMaxLength(200)),
    )
    .addSubcommand((s) =>
      s
        .setName('stats')
        .setDescription('Q&A statistics (moderators)')
        .addIntegerOption((o) =>
          o.setName('period').setDescription('Days to cover (default: both 7 and 30)').addChoices(...STATS_PERIODS.map((d) => ({ name: `${d} days`, value: d }))),
        ),
    ),
  async execute(interaction, deps) {
    if (interaction.options.getSubcommand() === 'stats') return qaStatsCommand(interaction, deps);
    return qaSearch(interaction, deps);
  },
});
