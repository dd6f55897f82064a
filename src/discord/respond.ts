import { MessageFlags, type InteractionReplyOptions, type RepliableInteraction } from 'discord.js';

/** No message the bot sends pings anyone unless a feature names who, on purpose. */
export const NO_PINGS = Object.freeze({ parse: [] as never[] });

/**
 * Sends a private message to the member whatever state the interaction is in: fresh (reply),
 * deferred privately (edit the "thinking" placeholder), deferred publicly (remove the public
 * placeholder so the error stays private), or already answered / deferUpdate (follow up).
 */
export async function respondPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  const message: InteractionReplyOptions = { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply(message);
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral === true) {
    await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_PINGS });
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral === false) {
    await interaction.deleteReply();
    await interaction.followUp(message);
  } else {
    await interaction.followUp(message);
  }
}
