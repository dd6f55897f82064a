import { ActionRowBuilder, EmbedBuilder, MessageFlags, SlashCommandBuilder, StringSelectMenuBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand, type ComponentInteraction, type Deps } from '../src/discord/command.ts';
import { canUse } from '../src/discord/dispatcher.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { customId } from '../src/discord/ui-state.ts';
import { UserError } from '../src/discord/user-error.ts';
import { helpEntries, type HelpEntry } from '../src/help/command-list.ts';

/** What this member may run: the same permission check the dispatcher enforces. */
function entriesFor(interaction: ChatInputCommandInteraction | ComponentInteraction, deps: Deps): HelpEntry[] {
  const usable = [...deps.commands.commands.values()].filter((c) => canUse(c, interaction.memberPermissions));
  return helpEntries(usable.map((c) => c.data.toJSON()));
}

export default defineCommand({
  data: new SlashCommandBuilder().setName('help').setDescription('List the commands you can use here'),
  async execute(interaction, deps) {
    const entries = entriesFor(interaction, deps);
    const embed = new EmbedBuilder()
      .setTitle('What you can do here')
      .setDescription(entries.map((e) => `**${e.usage}**: ${e.description}`).join('\n').slice(0, 4096));
    // A select menu holds at most 25 options; the list above is always complete.
    const menu = new StringSelectMenuBuilder()
      .setCustomId(customId('help'))
      .setPlaceholder('Details for a command…')
      .addOptions(entries.slice(0, 25).map((e) => ({ label: e.usage.slice(0, 100), value: e.usage.slice(0, 100) })));
    const components = entries.length > 0 ? [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)] : [];
    await interaction.reply({ embeds: [embed], components, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  },
  components: [
    {
      prefix: 'help',
      async handle(interaction, _rest, deps) {
        if (!interaction.isStringSelectMenu()) throw new UserError('expired');
        const entry = entriesFor(interaction, deps).find((e) => e.usage === interaction.values[0]);
        if (!entry) throw new UserError('not_found', 'That command is gone or no longer open to you; run /help again.');
        const options = entry.options.map((o) => `• \`${o.name}\`${o.required ? '' : ' (optional)'}: ${o.description}`);
        const embed = new EmbedBuilder()
          .setTitle(entry.usage)
          .setDescription([entry.description, ...(options.length ? ['', '**Options**', ...options] : [])].join('\n'));
        await interaction.update({ embeds: [embed], allowedMentions: NO_PINGS });
      },
    },
  ],
});
