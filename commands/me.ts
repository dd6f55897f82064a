import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { memberSummary } from '../src/reports/member-summary.ts';
import { meFields } from '../src/reports/me-view.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('me')
    .setDescription('Your tier, points, activity streak and contributions (only you see it)')
    .setContexts(InteractionContextType.Guild),
  async execute(interaction, deps) {
    const summary = await memberSummary(deps.db, interaction.user.id, { tiers: deps.tiers, policy: deps.policy, now: deps.clock.now() });
    const embed = new EmbedBuilder().setTitle('You in the community').addFields(meFields(summary));
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  },
});
