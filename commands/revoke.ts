import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, userMention } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { revokeGrants } from '../src/membership/grants.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('revoke')
    .setDescription("End a member's complimentary access (moderators); paid memberships are not touched")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageRoles)
    .addUserOption((o) => o.setName('member').setDescription('Whose grant to end').setRequired(true)),
  async execute(interaction, deps) {
    const member = interaction.options.getUser('member', true);
    const result = await revokeGrants(deps, member.id, { id: interaction.user.id, name: interaction.user.username });
    const ended = result.revoked.map((g) => `**${g.tierName}** (grant #${g.id})`).join(', ');
    const left = result.decision.tier
      ? `They keep **${result.decision.tier.name}** through their ${result.decision.via?.kind === 'lifetime' ? 'lifetime purchase' : 'paid subscription'}.`
      : 'They have no tier now; their role is being removed.';
    await interaction.reply({
      content: `Ended ${ended} for ${userMention(member.id)}. ${left} The owners' audit log records it.`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
  },
});
