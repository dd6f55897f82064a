import { ActionRowBuilder, ButtonBuilder, ButtonStyle, StringSelectMenuBuilder, type InteractionEditReplyOptions } from 'discord.js';
import { NO_PINGS } from '../discord/respond.ts';
import { customId } from '../discord/ui-state.ts';
import { UserError } from '../discord/user-error.ts';
import type { QaSetup } from './qa-config.ts';
import type { Posted } from './post-question.ts';
import type { SearchHit } from './search.ts';

/** Topics per question: enough to reach the right experts, few enough not to ping everyone. */
export const MAX_TOPICS = 3;

const link = (guildId: string, ...ids: string[]) => `https://discord.com/channels/${guildId}/${ids.join('/')}`;
const linkText = (text: string) => text.replace(/[[\]\\]/g, '\\$&');

export function topicMenu(qa: QaSetup, stateId: string): ActionRowBuilder<StringSelectMenuBuilder> {
  const menu = new StringSelectMenuBuilder()
    .setCustomId(customId('ask-topics', stateId))
    .setPlaceholder(`Pick 1 to ${Math.min(MAX_TOPICS, qa.topics.length)} topics`)
    .setMinValues(1)
    .setMaxValues(Math.min(MAX_TOPICS, qa.topics.length))
    .addOptions(qa.topics.map((t) => ({ label: t.name, value: t.name, ...(t.description ? { description: t.description } : {}) })));
  return new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu);
}

/** The chosen topics in configuration order; a name no longer configured (changed since the menu was shown) is refused. */
export function chosenTopics(qa: QaSetup, values: readonly string[]): string[] {
  const unknown = values.find((v) => !qa.topics.some((t) => t.name === v));
  if (unknown !== undefined) throw new UserError('invalid_input', `"${unknown}" is not a Q&A topic any more: run /ask again to see the current topics.`);
  const topics = qa.topics.map((t) => t.name).filter((name) => values.includes(name));
  if (topics.length < 1 || topics.length > MAX_TOPICS) throw new UserError('invalid_input', `Pick 1 to ${MAX_TOPICS} topics.`);
  return topics;
}

/** Up to 3 solved questions that look the same, each with a jump link, and the way to post anyway. */
export function duplicatesView(hits: readonly SearchHit[], guildId: string, stateId: string): InteractionEditReplyOptions {
  const lines = hits.flatMap((h) => {
    if (!h.threadId) return [];
    const solution = h.solutionMessageId ? ` ([solution](${link(guildId, h.threadId, h.solutionMessageId)}))` : '';
    return [`• [${linkText(h.title)}](${link(guildId, h.threadId)})${solution}`];
  });
  const post = new ButtonBuilder().setCustomId(customId('ask-post', stateId)).setLabel('Post anyway').setStyle(ButtonStyle.Primary);
  return {
    content: ['These solved questions look like yours. One of them may already have your answer:', ...lines, '', 'Not the same? Post yours.'].join('\n'),
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(post)],
    allowedMentions: NO_PINGS,
  };
}

/** Where the question is and how the rest works, for the asker only. */
export function postedView(posted: Posted, topics: readonly string[], reminderHours: number): InteractionEditReplyOptions {
  const open = new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(posted.url).setLabel('Open your question');
  const lines = [
    `Your question is posted: ${posted.url}`,
    '',
    '**How it works**',
    `• The ${topics.join(', ')} experts were notified. Answers arrive in the thread; follow it to hear about them.`,
    `• If nobody answers within ${reminderHours} hours, the experts get a reminder.`,
    '• When an answer solves it, mark it: on that message, **Apps → Mark as solution**, or run `/solved` in the thread.',
  ];
  if (posted.codeCut) lines.push('• Your code was too long to show in full with the question: paste the rest in the thread.');
  return { content: lines.join('\n'), components: [new ActionRowBuilder<ButtonBuilder>().addComponents(open)], allowedMentions: NO_PINGS };
}
