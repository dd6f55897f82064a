import { EmbedBuilder, MessageFlags, SlashCommandBuilder, time, TimestampStyles } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { NO_PINGS } from '../src/discord/respond.ts';
import { formatDuration } from '../src/format.ts';

export default defineCommand({
  data: new SlashCommandBuilder().setName('about').setDescription('What this bot is, its version and how long it has been running'),
  async execute(interaction, { about, clock, config }) {
    const uptime = clock.now() - about.startedAt;
    const embed = new EmbedBuilder()
      .setTitle('Guildhall')
      .setDescription(
        'I run this paid community: memberships paid through Stripe become roles, members ask experts, ' +
          'take part in challenges and share reviewed posts. Try /help to see what you can do.',
      )
      .addFields(
        { name: 'Version', value: about.version, inline: true },
        { name: 'Uptime', value: `${formatDuration(uptime)} (since ${time(Math.floor(about.startedAt / 1000), TimestampStyles.ShortDateTime)})`, inline: true },
      );
    if (config.homepageUrl) embed.addFields({ name: 'Links', value: config.homepageUrl });
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  },
});
