// The interactions around solving: "Mark as solution" (message context menu), /solved, /reopen,
// and the nudge's "Mark the solution" button with its answer picker. Commands stay thin; the rules
// live in solve.ts.
import {
  ActionRowBuilder,
  DiscordAPIError,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  StringSelectMenuBuilder,
  type APIMessage,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { customId } from '../discord/ui-state.ts';
import { UserError } from '../discord/user-error.ts';
import { qaOf } from './ask-flow.ts';
import { findById } from './questions-repo.ts';
import { jumpLink, questionInThread, reopenQuestion, requireAskerOrModerator, solveQuestion, type QaActor, type QaPorts, type Solved } from './solve.ts';

export const PICK_PREFIX = 'qa-pick';
const UNKNOWN_MESSAGE = 10008;
/** The picker lists the latest answers; older ones are marked with the context menu. */
const PICKER_SIZE = 10;

export function qaPorts(interaction: RepliableInteraction, deps: Deps): QaPorts {
  return { db: deps.db, rest: interaction.client.rest, qa: qaOf(deps), guildId: deps.config.guildId, clock: deps.clock, logger: deps.logger, outbox: deps.outbox, activity: deps.activity, caps: { reputation: deps.reputation, timeZone: deps.config.reportTimezone } };
}

export const actorOf = (interaction: RepliableInteraction): QaActor => ({
  id: interaction.user.id,
  isModerator: interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
});

/** Pure: a message link (discord.com, ptb., canary., discordapp.com) or a bare message id. */
export function parseMessageLink(text: string): { channelId?: string; messageId: string } | null {
  const t = text.trim();
  if (/^\d{17,20}$/.test(t)) return { messageId: t };
  const m = /^<?https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/channels\/(?:\d{17,20})\/(\d{17,20})\/(\d{17,20})\/?>?$/.exec(t);
  return m ? { channelId: m[1]!, messageId: m[2]! } : null;
}

/** The message over REST: its author always; its text only with the MessageContent intent (else ""). */
async function fetchAnswer(ports: QaPorts, threadId: string, messageId: string, missing: string) {
  try {
    const m = (await ports.rest.get(Routes.channelMessage(threadId, messageId))) as APIMessage;
    return { messageId: m.id, authorId: m.author.id, authorIsBot: m.author.bot === true, text: m.content || null };
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === UNKNOWN_MESSAGE) throw new UserError('not_found', missing);
    throw error;
  }
}

function confirmation(s: Solved, ports: QaPorts): string {
  if (!s.changed) return `That message already is the solution: ${s.link}`;
  const points = s.credited ? ` <@${s.question.solution_author_id}> gets ${ports.qa.solutionPoints} points.` : '';
  const archive = s.question.archive_due_at === null ? '' : ` The thread archives <t:${Math.floor(s.question.archive_due_at / 1000)}:R>.`;
  const tag = s.tagged ? '' : ' (Discord refused the Solved tag; the moderators can see why in the logs.)';
  return `Marked as the solution: ${s.link}.${points}${archive}${tag}`;
}

export async function markFromMenu(interaction: MessageContextMenuCommandInteraction, deps: Deps): Promise<void> {
  const ports = qaPorts(interaction, deps);
  const question = await questionInThread(ports, interaction.channelId);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const target = interaction.targetMessage;
  // The context menu carries the text even without the MessageContent intent: the excerpt comes from here.
  const solved = await solveQuestion(ports, question, actorOf(interaction), {
    messageId: target.id, authorId: target.author.id, authorIsBot: target.author.bot, text: target.content || null,
  });
  await interaction.editReply({ content: confirmation(solved, ports), allowedMentions: NO_PINGS });
}

/**
 * /solved [message]: with a link (or id) to a message in this thread, that message; without, the most
 * recent answer (the latest message by someone other than the asker). The excerpt is stored only when
 * Discord gives the text (REST fetches carry none without the MessageContent intent).
 */
export async function solvedCommand(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const ports = qaPorts(interaction, deps);
  const question = await questionInThread(ports, interaction.channelId);
  const actor = actorOf(interaction);
  requireAskerOrModerator(question, actor, 'mark the solution');
  const raw = interaction.options.getString('message');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const threadId = question.thread_id!;
  let messageId: string;
  if (raw !== null) {
    const link = parseMessageLink(raw);
    if (!link) throw new UserError('invalid_input', 'Paste a message link (right-click the answer → Copy Message Link), or leave it empty for the latest answer.');
    if (link.channelId && link.channelId !== threadId) throw new UserError('invalid_input', 'That message is not in this thread: pick an answer posted here.');
    messageId = link.messageId;
  } else {
    const latest = await deps.db.selectFrom('answers').select('message_id').where('question_id', '=', question.id).orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    if (!latest) throw new UserError('not_found', 'Nobody has answered here yet. When someone does, run /solved again or right-click their answer → Apps → Mark as solution.');
    messageId = latest.message_id;
  }
  const answer = await fetchAnswer(ports, threadId, messageId, 'That message is not in this thread any more (deleted?). Pass a link to another answer.');
  const solved = await solveQuestion(ports, question, actor, answer);
  await interaction.editReply({ content: confirmation(solved, ports), allowedMentions: NO_PINGS });
}

export async function reopenCommand(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const ports = qaPorts(interaction, deps);
  const question = await questionInThread(ports, interaction.channelId);
  requireAskerOrModerator(question, actorOf(interaction), 'reopen it');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const reopened = await reopenQuestion(ports, question, actorOf(interaction));
  await interaction.editReply({ content: `Reopened: the question is **${reopened.state}** again and out of search until a new solution is marked.`, allowedMentions: NO_PINGS });
}

/** The nudge's button: the asker (or a moderator) picks one of the latest answers. */
export async function showAnswerPicker(interaction: ButtonInteraction, rest: string, deps: Deps): Promise<void> {
  const ports = qaPorts(interaction, deps);
  const question = await findById(deps.db, Number(rest));
  if (!question?.thread_id) throw new UserError('not_found', 'That question no longer exists.');
  requireAskerOrModerator(question, actorOf(interaction), 'mark the solution');
  if (question.state === 'solved') throw new UserError('conflict', `It is already solved: ${jumpLink(ports.guildId, question.thread_id, question.solution_message_id ?? undefined)}`);
  const answers = await deps.db.selectFrom('answers').select(['author_id', 'message_id', 'at']).where('question_id', '=', question.id)
    .orderBy('at', 'desc').orderBy('id', 'desc').limit(PICKER_SIZE).execute();
  if (answers.length === 0) throw new UserError('not_found', 'There are no answers to pick from yet.');
  const lines = answers.map((a, i) => `${i + 1}. <@${a.author_id}> ${jumpLink(ports.guildId, question.thread_id!, a.message_id)} <t:${Math.floor(a.at / 1000)}:R>`);
  const menu = new StringSelectMenuBuilder().setCustomId(customId(PICK_PREFIX, String(question.id))).setPlaceholder('The answer that solved it…').addOptions(
    answers.map((a, i) => ({
      label: `${i + 1}. Answer by ${interaction.client.users.cache.get(a.author_id)?.displayName ?? 'a member'}`.slice(0, 100),
      description: `posted ${new Date(a.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      value: a.message_id,
    })),
  );
  await interaction.reply({
    content: ['Which answer solved it? The latest answers:', ...lines, '', 'Another one? Right-click it → Apps → **Mark as solution**.'].join('\n'),
    components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  });
}

export async function pickAnswer(interaction: StringSelectMenuInteraction, rest: string, deps: Deps): Promise<void> {
  const ports = qaPorts(interaction, deps);
  const question = await findById(deps.db, Number(rest));
  if (!question?.thread_id) throw new UserError('not_found', 'That question no longer exists.');
  const actor = actorOf(interaction);
  requireAskerOrModerator(question, actor, 'mark the solution');
  const picked = await deps.db.selectFrom('answers').select('message_id').where('question_id', '=', question.id).where('message_id', '=', interaction.values[0] ?? '').executeTakeFirst();
  if (!picked) throw new UserError('expired');
  await interaction.deferUpdate();
  const answer = await fetchAnswer(ports, question.thread_id, picked.message_id, 'That answer was deleted; press the button again to pick another.');
  const solved = await solveQuestion(ports, question, actor, answer);
  await interaction.editReply({ content: confirmation(solved, ports), components: [], allowedMentions: NO_PINGS });
}
