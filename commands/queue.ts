import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { UserError } from '../src/discord/user-error.ts';
import { queueCommand } from '../src/posts/queue-view.ts';
import { REVERSE_PREFIX, REVIEW_PREFIX } from '../src/posts/review-card.ts';
import { REASON_PREFIX, reasonSubmitted, REVERSE_FORM_PREFIX, reverseButton, reverseSubmitted, reviewButton } from '../src/posts/review-flow.ts';

/** Moderators: the review queue, one post's audit trail, and the review card's buttons. */
export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('queue')
    .setDescription('Posts waiting for review, oldest first (moderators)')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
    .addIntegerOption((o) => o.setName('post').setDescription("Show one post's versions and decisions instead, with a button to reverse the latest").setMinValue(1)),
  execute: queueCommand,
  components: [
    {
      prefix: REVIEW_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isButton()) throw new UserError('expired');
        await reviewButton(interaction, rest, deps);
      },
    },
    {
      prefix: REASON_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isModalSubmit()) throw new UserError('expired');
        await reasonSubmitted(interaction, rest, deps);
      },
    },
    {
      prefix: REVERSE_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isButton()) throw new UserError('expired');
        await reverseButton(interaction, rest, deps);
      },
    },
    {
      prefix: REVERSE_FORM_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isModalSubmit()) throw new UserError('expired');
        await reverseSubmitted(interaction, rest, deps);
      },
    },
  ],
});
