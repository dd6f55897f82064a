import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { UserError } from '../src/discord/user-error.ts';
import { EDIT_PREFIX } from '../src/posts/post-messages.ts';
import { AUDIENCE_PREFIX, chooseAudience, EDIT_FORM_PREFIX, FIX_PREFIX, reopenForFix, startEdit, startNew, submitEditForm, submitNewForm } from '../src/posts/post-flow.ts';
import { minePosts, postChoices, unpublishCommand } from '../src/posts/post-manage.ts';

const postId = (rest: string): number => {
  if (!/^\d{1,12}$/.test(rest)) throw new UserError('expired');
  return Number(rest);
};

/** Member posts: write one (reviewed by the moderators before it is published), edit, unpublish, list. */
export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('post')
    .setDescription('Write an article, tutorial, code example or career note for the community')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName('new').setDescription('Write a post: the moderators review it before it is published'))
    .addSubcommand((s) =>
      s.setName('edit').setDescription('Edit one of your posts (the new text is reviewed again)')
        .addIntegerOption((o) => o.setName('post').setDescription('Which post').setRequired(true).setMinValue(1).setAutocomplete(true)),
    )
    .addSubcommand((s) =>
      s.setName('unpublish').setDescription('Take a published post down (yours, or any post for moderators)')
        .addIntegerOption((o) => o.setName('post').setDescription('Which post').setRequired(true).setMinValue(1).setAutocomplete(true))
        .addStringOption((o) => o.setName('reason').setDescription('Why (moderators: the author is told)').setMaxLength(500)),
    )
    .addSubcommand((s) => s.setName('mine').setDescription('Your posts and where each one stands (only you see it)')),
  async execute(interaction, deps) {
    switch (interaction.options.getSubcommand()) {
      case 'edit':
        return startEdit(interaction, interaction.options.getInteger('post', true), deps);
      case 'unpublish':
        return unpublishCommand(interaction, deps);
      case 'mine':
        return minePosts(interaction, deps);
      default:
        return startNew(interaction, deps);
    }
  },
  autocomplete: postChoices,
  components: [
    {
      prefix: 'post-new',
      async handle(interaction, _rest, deps) {
        if (!interaction.isModalSubmit()) throw new UserError('expired');
        await submitNewForm(interaction, deps);
      },
    },
    {
      prefix: AUDIENCE_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isStringSelectMenu()) throw new UserError('expired');
        await chooseAudience(interaction, rest, deps);
      },
    },
    {
      prefix: FIX_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isButton()) throw new UserError('expired');
        await reopenForFix(interaction, rest, deps);
      },
    },
    {
      // The "Edit and resubmit" button in the author's DM.
      prefix: EDIT_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isButton()) throw new UserError('expired');
        await startEdit(interaction, postId(rest), deps);
      },
    },
    {
      prefix: EDIT_FORM_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isModalSubmit()) throw new UserError('expired');
        await submitEditForm(interaction, postId(rest), deps);
      },
    },
  ],
});
