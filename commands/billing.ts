import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand, type ComponentInteraction, type Deps } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { billingPortalUrl, NO_CUSTOMER_MESSAGE } from '../src/membership/billing-portal.ts';

/** The same answer for /billing and for the `billing` button (the payment-failed DM carries it). */
async function answer(interaction: ChatInputCommandInteraction | ComponentInteraction, deps: Deps): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  // interaction.user, not member: in a DM there is no member.
  const url = await billingPortalUrl(deps, interaction.user.id);
  if (!url) {
    await interaction.editReply({ content: NO_CUSTOMER_MESSAGE, allowedMentions: NO_PINGS });
    return;
  }
  const open = new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Manage billing');
  await interaction.editReply({
    content: 'Update your card, see invoices, change or cancel your plan in the Stripe Billing Portal. The link works for a short while and only for you.',
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(open)],
    allowedMentions: NO_PINGS,
  });
}

export default defineCommand({
  data: new SlashCommandBuilder().setName('billing').setDescription('Manage your payment: card, invoices, plan changes, cancellation'),
  execute: (interaction, deps) => answer(interaction, deps),
  // custom_id "billing", exactly: messages with this button stay valid forever.
  components: [{ prefix: 'billing', handle: (interaction, _rest, deps) => answer(interaction, deps) }],
});
