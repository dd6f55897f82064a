import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { UserError } from '../src/discord/user-error.ts';
import { digestEmbed } from '../src/reports/digest-render.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('stats')
    .setDescription("The week so far: the digest's figures for the last 7 days, with changes (owners)")
    .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
    .setContexts(InteractionContextType.Guild),
  async execute(interaction, deps) {
    // Checked here too, server-side: the guild owner or an administrator, whatever the command settings say.
    const owner = interaction.guild?.ownerId === interaction.user.id;
    if (!owner && !interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)) {
      throw new UserError('forbidden', 'Only the server owner and administrators can see the community figures.');
    }
    // Computing reads the whole community: defer so Discord's 3-second limit cannot expire it.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const digest = await deps.reports.compute(deps.clock.now());
    const embed = digestEmbed(digest, { timeZone: deps.config.reportTimezone, title: 'The week so far', withChart: false });
    await interaction.editReply({ embeds: [embed], allowedMentions: NO_PINGS });
  },
});
