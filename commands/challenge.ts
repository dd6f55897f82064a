import { InteractionContextType, SlashCommandBuilder, type SlashCommandSubcommandBuilder } from 'discord.js';
import { defineCommand, type ComponentHandler } from '../src/discord/command.ts';
import { UserError } from '../src/discord/user-error.ts';
import { retryForm, RETRY_PREFIX, startCreate, startEdit, submitForm } from '../src/challenges/challenge-admin.ts';
import { challengeAutocomplete } from '../src/challenges/challenge-autocomplete.ts';
import { startCancel, submitCancel } from '../src/challenges/challenge-cancel.ts';
import { CANCEL_PREFIX, ENTRY_PREFIX, FORM_PREFIX } from '../src/challenges/challenge-forms.ts';
import { SETTINGS } from '../src/challenges/challenge-input.ts';
import { declineSubmit, judgeButton } from '../src/challenges/challenge-judging.ts';
import { startSubmit, submitEntry } from '../src/challenges/challenge-submit.ts';
import { listChallenges, showChallenge } from '../src/challenges/challenge-views.ts';
import { DECLINE_PREFIX, JUDGE_PREFIX } from '../src/challenges/judge-card.ts';
import { showChallengeLeaderboard } from '../src/challenges/leaderboard-command.ts';

const challenge = (s: SlashCommandSubcommandBuilder, what: string) =>
  s.addIntegerOption((o) => o.setName('challenge').setDescription(what).setRequired(true).setAutocomplete(true).setMinValue(1));

/** Points, bonus, judges and tiers: options, because a modal holds only five inputs (the form has the text and dates). */
const settings = (s: SlashCommandSubcommandBuilder, create: boolean) =>
  s
    .addIntegerOption((o) => o.setName('points').setDescription('Points for each accepted entry').setRequired(create).setMinValue(SETTINGS.points.min).setMaxValue(SETTINGS.points.max))
    .addIntegerOption((o) => o.setName('best_bonus').setDescription('Extra points for the best entry (default 0)').setMinValue(SETTINGS.bestBonus.min).setMaxValue(SETTINGS.bestBonus.max))
    .addIntegerOption((o) => o.setName('judges').setDescription('How many judges must agree on each entry (default 1)').setMinValue(SETTINGS.judges.min).setMaxValue(SETTINGS.judges.max))
    .addStringOption((o) => o.setName('tiers').setDescription('Who may enter: tiers separated by commas, "everyone", or empty for any paid tier').setAutocomplete(true).setMaxLength(200));

const handler = (prefix: string, handle: ComponentHandler['handle']): ComponentHandler => ({ prefix, handle });

/**
 * Members: submit, list, show, leaderboard. Moderators (ManageMessages, checked server-side: one
 * command cannot carry per-subcommand permissions): create, edit, cancel, and the judges' buttons.
 */
export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('challenge')
    .setDescription('Technical challenges: enter, browse, see the leaderboard')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => challenge(s.setName('submit').setDescription('Enter an open challenge, or edit your entry (only you and the judges see it)'), 'Which open challenge'))
    .addSubcommand((s) => s.setName('list').setDescription('Open, upcoming and past challenges'))
    .addSubcommand((s) => challenge(s.setName('show').setDescription('One challenge, its results once judged, and your own entry'), 'Which challenge'))
    .addSubcommand((s) =>
      s
        .setName('leaderboard')
        .setDescription('Challenge points: this month or all time')
        .addStringOption((o) => o.setName('period').setDescription('This month (default) or all time').addChoices({ name: 'this month', value: 'month' }, { name: 'all time', value: 'all' })),
    )
    .addSubcommand((s) => settings(s.setName('create').setDescription('Schedule a challenge (moderators): a form asks for the text and dates'), true))
    .addSubcommand((s) => settings(challenge(s.setName('edit').setDescription('Change a challenge (moderators); the audit trail records it'), 'Which challenge'), false))
    .addSubcommand((s) => challenge(s.setName('cancel').setDescription('Cancel a challenge with a reason (moderators)'), 'Which challenge')),
  async execute(interaction, deps) {
    switch (interaction.options.getSubcommand()) {
      case 'submit':
        return startSubmit(interaction, deps);
      case 'list':
        return listChallenges(interaction, deps);
      case 'show':
        return showChallenge(interaction, deps);
      case 'leaderboard':
        return showChallengeLeaderboard(interaction, deps);
      case 'create':
        return startCreate(interaction, deps);
      case 'edit':
        return startEdit(interaction, deps);
      case 'cancel':
        return startCancel(interaction, deps);
      default:
        throw new UserError('expired');
    }
  },
  autocomplete: challengeAutocomplete,
  components: [
    handler(FORM_PREFIX, (i, rest, deps) => (i.isModalSubmit() ? submitForm(i, rest, deps) : Promise.reject(new UserError('expired')))),
    handler(RETRY_PREFIX, (i, rest, deps) => (i.isButton() ? retryForm(i, rest, deps) : Promise.reject(new UserError('expired')))),
    handler(CANCEL_PREFIX, (i, rest, deps) => (i.isModalSubmit() ? submitCancel(i, rest, deps) : Promise.reject(new UserError('expired')))),
    handler(ENTRY_PREFIX, (i, rest, deps) => (i.isModalSubmit() ? submitEntry(i, rest, deps) : Promise.reject(new UserError('expired')))),
    handler(JUDGE_PREFIX, (i, rest, deps) => (i.isButton() ? judgeButton(i, rest, deps) : Promise.reject(new UserError('expired')))),
    handler(DECLINE_PREFIX, (i, rest, deps) => (i.isModalSubmit() ? declineSubmit(i, rest, deps) : Promise.reject(new UserError('expired')))),
  ],
});
