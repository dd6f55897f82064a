import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, time, TimestampStyles, userMention } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { UserError } from '../src/discord/user-error.ts';
import { tierToSell } from '../src/membership/checkout.ts';
import { grantTier, parseUntil } from '../src/membership/grants.ts';
import { tierChoices } from '../src/membership/tier-autocomplete.ts';

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('grant')
    .setDescription('Give a member complimentary access to a tier (moderators)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageRoles)
    .addUserOption((o) => o.setName('member').setDescription('Who gets access').setRequired(true))
    .addStringOption((o) => o.setName('tier').setDescription('Which tier').setRequired(true).setAutocomplete(true))
    .addStringOption((o) => o.setName('until').setDescription('2026-12-31 (through that day, UTC) or 30d / 12h / 2w; empty = no end')),
  async execute(interaction, deps) {
    const member = interaction.options.getUser('member', true);
    if (member.bot) throw new UserError('invalid_input', 'Bots cannot hold a membership.');
    const tier = tierToSell(deps.tiers, interaction.options.getString('tier', true));
    const untilText = interaction.options.getString('until');
    const until = untilText ? parseUntil(untilText, deps.clock.now()) : null;
    const result = await grantTier(deps, member.id, tier, until, { id: interaction.user.id, name: interaction.user.username });
    const end = until ? `until ${time(Math.floor(until / 1000), TimestampStyles.LongDateTime)}` : 'with no end date';
    const now = result.decision.tier?.name === tier.name ? `Their role is on its way.` : `They keep **${result.decision.tier?.name}**, which ranks higher.`;
    const replaced = result.replaced ? ` It replaces their earlier grant.` : '';
    await interaction.reply({
      content: `Granted **${tier.name}** to ${userMention(member.id)} ${end} (grant #${result.grantId}).${replaced} ${now} The owners' audit log records it.`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
  },
  async autocomplete(interaction, deps) {
    await interaction.respond(tierChoices(deps.tiers, interaction.options.getFocused()));
  },
});
