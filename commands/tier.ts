import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, userMention } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { UserError } from '../src/discord/user-error.ts';
import { loadTierStatus } from '../src/membership/tier-status.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('tier')
    .setDescription('Your membership tier, its status, next renewal and perks')
    .addUserOption((o) => o.setName('member').setDescription('Moderators: look up another member')),
  async execute(interaction, deps) {
    const target = interaction.options.getUser('member') ?? interaction.user;
    const self = target.id === interaction.user.id;
    // Checked here, server-side: the option is visible to everyone.
    if (!self && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageRoles)) {
      throw new UserError('forbidden', 'Only moderators can look up another member; /tier without a member shows yours.');
    }
    const status = await loadTierStatus(deps.db, target.id, deps.tiers, deps.clock.now(), deps.policy);
    const who = self ? 'You' : userMention(target.id);
    const embed = new EmbedBuilder().setTitle(self ? 'Your membership' : `Membership of ${target.username}`);
    if (!status.tier) {
      const join = self ? 'Use /join to become a member, and /tiers to compare tiers.' : 'They can join with /join.';
      embed.setDescription([`${who} ${self ? 'are' : 'is'} not a member yet.`, status.note, join].filter(Boolean).join('\n'));
    } else {
      embed.addFields({ name: 'Tier', value: status.tier.name, inline: true }, { name: 'Status', value: status.status ?? '—', inline: true });
      if (status.renewal) embed.addFields({ name: 'Next renewal', value: status.renewal, inline: true });
      if (status.tier.perks.length) embed.addFields({ name: 'Perks', value: status.tier.perks.map((p) => `• ${p}`).join('\n') });
      if (status.note) embed.setDescription(status.note);
    }
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  },
});
