import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { renderChecks } from '../src/membership/doctor.ts';
import { runDoctor } from '../src/membership/doctor-run.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('doctor')
    .setDescription('Check the setup: role order, channels, Stripe key, prices, webhook secret (administrators)')
    .setDefaultMemberPermissions(PermissionFlagsBits.Administrator),
  async execute(interaction, deps) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // Fresh over REST (not the gateway cache), exactly as `npm run doctor` sees it.
    const checks = await runDoctor({ rest: interaction.client.rest, stripe: deps.stripe, tiers: deps.tiers, config: deps.config });
    const healthy = checks.every((c) => c.ok);
    const embed = new EmbedBuilder()
      .setTitle(healthy ? 'Guildhall doctor: all good' : 'Guildhall doctor: needs attention')
      .setColor(healthy ? 0x2e7d32 : 0xc62828)
      .setDescription(renderChecks(checks).slice(0, 4096));
    await interaction.editReply({ embeds: [embed], allowedMentions: NO_PINGS });
  },
});
