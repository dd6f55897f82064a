import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { startJoin } from '../src/membership/checkout.ts';
import { tierChoices } from '../src/membership/tier-autocomplete.ts';

const HOW = { active: 'active', trialing: 'on trial', past_due: 'payment past due', canceling: 'cancels at the period end', lifetime: 'for life', granted: 'granted' } as const;

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('join')
    .setDescription('Become a paying member: get a secure Stripe checkout link')
    .addStringOption((o) => o.setName('tier').setDescription('Which tier (default: the entry tier); see /tiers').setAutocomplete(true)),
  async execute(interaction, deps) {
    // Stripe can take a few seconds; the private "thinking…" keeps the interaction alive meanwhile.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await startJoin(deps, interaction.user.id, interaction.options.getString('tier'));
    if (result.kind === 'entitled') {
      await interaction.editReply({
        content: `You already have **${result.tier.name}** (${HOW[result.state]}). To upgrade, downgrade or cancel, use /billing: you won't be charged twice.`,
        allowedMentions: NO_PINGS,
      });
      return;
    }
    const pay = new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(result.url).setLabel(`Pay for ${result.tier.name}`);
    await interaction.editReply({
      content: `Here is your checkout for **${result.tier.name}**. Your role arrives as soon as the payment goes through. The link is yours alone: don't share it.`,
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(pay)],
      allowedMentions: NO_PINGS,
    });
  },
  async autocomplete(interaction, deps) {
    await interaction.respond(tierChoices(deps.tiers, interaction.options.getFocused()));
  },
});
