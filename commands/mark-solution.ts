import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, type MessageContextMenuCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { UserError } from '../src/discord/user-error.ts';
import { NUDGE_PREFIX } from '../src/qa/follow-up.ts';
import { markFromMenu, pickAnswer, PICK_PREFIX, showAnswerPicker } from '../src/qa/solve-flow.ts';

/**
 * Right-click a reply in a question thread → Apps → Mark as solution (the asker or a moderator).
 * Also owns the follow-up nudge's "Mark the solution" button and the answer picker it opens.
 */
export default defineCommand<MessageContextMenuCommandInteraction>({
  data: new ContextMenuCommandBuilder().setName('Mark as solution').setType(ApplicationCommandType.Message).setContexts(InteractionContextType.Guild),
  execute: markFromMenu,
  components: [
    {
      prefix: NUDGE_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isButton()) throw new UserError('expired');
        await showAnswerPicker(interaction, rest, deps);
      },
    },
    {
      prefix: PICK_PREFIX,
      async handle(interaction, rest, deps) {
        if (!interaction.isStringSelectMenu()) throw new UserError('expired');
        await pickAnswer(interaction, rest, deps);
      },
    },
  ],
});
