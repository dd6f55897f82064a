import { EmbedBuilder, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { formatPrice, priceCatalogFor } from '../src/membership/price-catalog.ts';
import { forMember } from '../src/membership/stripe-errors.ts';

export default defineCommand({
  data: new SlashCommandBuilder().setName('tiers').setDescription('The membership tiers, their prices and perks'),
  async execute(interaction, deps) {
    await interaction.deferReply();
    const ids = deps.tiers.list.flatMap((t) => t.priceIds);
    const prices = await forMember(deps.logger, 'prices.list', () => priceCatalogFor(deps.stripe, deps.clock).get(ids));
    const embed = new EmbedBuilder().setTitle('Membership tiers').setDescription('Join with /join, or /join tier:<name>. See yours with /tier.');
    for (const tier of [...deps.tiers.list].reverse()) {
      // The first price is the one /join sells; other active ones (e.g. yearly) are shown as alternatives.
      const shown = tier.priceIds.map((id) => prices.get(id)).filter((p, i) => p && (i === 0 || p.active));
      const price = shown.length ? shown.map((p) => formatPrice(p!)).join(' or ') : 'price unavailable';
      const perks = tier.perks.map((p) => `• ${p}`).join('\n');
      embed.addFields({ name: `${tier.name}: ${price}`.slice(0, 256), value: (perks || '—').slice(0, 1024) });
    }
    await interaction.editReply({ embeds: [embed], allowedMentions: NO_PINGS });
  },
});
