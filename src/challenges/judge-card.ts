// The judges' queue card (one message per entry in MOD_CHANNEL_ID) and the decline form. The
// custom_ids carry the entry's row id, so the buttons work after a restart.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, ModalBuilder, TextInputStyle, type APIEmbed, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { DeclineReason, SubmissionState } from '../db/schema-challenges.ts';
import { customId } from '../discord/ui-state.ts';
import { LIMITS } from './challenge-input.ts';
import { when } from './challenge-state.ts';
import type { ChallengeRow } from './challenges-repo.ts';
import type { SubmissionRow, VerdictRow, VersionRow } from './submissions-repo.ts';
import { DECLINE_REASONS } from './verdict-tally.ts';

export const JUDGE_PREFIX = 'ch-judge';
export const DECLINE_PREFIX = 'ch-decline';

const VERDICT_LABEL = { accept: '✅ accept', best: '⭐ accept as best', decline: '❌ decline' } as const;
const RESULT_LABEL: Partial<Record<SubmissionState, string>> = { accepted: '✅ accepted', best: '⭐ accepted as the best entry', declined: '❌ declined' };
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function verdictLines(verdicts: readonly VerdictRow[]): string {
  if (verdicts.length === 0) return 'none yet';
  return verdicts
    .map((v) => `<@${v.judge_id}>: ${VERDICT_LABEL[v.verdict]}${v.reason ? ` (${DECLINE_REASONS[v.reason]}${v.reason_text ? ` — ${clip(v.reason_text.replace(/[.\s]+$/, ''), 200)}` : ''})` : ''}`)
    .join('\n');
}

/**
 * The entry sits in the embed (at most 4000 + 1000 + 500 characters, within Discord's 6000 per
 * message); the verdicts and the status, which grow as judges act, sit in the content (2000).
 */
export function judgeCard(c: ChallengeRow, s: SubmissionRow, version: VersionRow, verdicts: readonly VerdictRow[]): RESTPostAPIChannelMessageJSONBody {
  const fields = [
    { name: 'Author', value: `<@${s.author_id}>`, inline: true },
    { name: 'Version', value: `${version.version}, ${when(version.at)}`, inline: true },
    ...(version.link ? [{ name: 'Link', value: version.link, inline: false }] : []),
    ...(version.notes ? [{ name: 'Notes', value: version.notes, inline: false }] : []),
  ];
  const embed: APIEmbed = { title: clip(`Entry #${s.id} · challenge #${c.id} · ${c.title}`, 256), description: version.solution ?? '*(no text: see the link)*', fields };
  const status = RESULT_LABEL[s.state] ? `final: ${RESULT_LABEL[s.state]}` : `waiting: ${c.judges_required === 1 ? 'one judge decides' : `${c.judges_required} judges must agree`}`;
  const content = [
    `🧑‍⚖️ Entry to judge for challenge #${c.id}. Judges may change their verdict later; the author cannot judge it.`,
    `**Verdicts:**\n${verdictLines(verdicts)}`,
    `**Status:** ${status}`,
  ].join('\n');
  const button = (verdict: 'accept' | 'best' | 'decline', label: string, style: ButtonStyle) =>
    new ButtonBuilder().setCustomId(customId(JUDGE_PREFIX, `${s.id}:${verdict}`)).setLabel(label).setStyle(style);
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    button('accept', 'Accept', ButtonStyle.Success),
    button('best', 'Accept as best', ButtonStyle.Primary),
    button('decline', 'Decline…', ButtonStyle.Danger),
  );
  return {
    content: clip(content, 2000),
    embeds: [embed],
    components: [row.toJSON()],
    allowed_mentions: { parse: [] },
  };
}

export function declineModal(submissionId: number): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(customId(DECLINE_PREFIX, String(submissionId)))
    .setTitle(`Decline entry #${submissionId}`)
    .addLabelComponents(
      (l) =>
        l
          .setLabel('Reason')
          .setDescription('The author is told this reason by DM')
          .setStringSelectMenuComponent((m) =>
            m
              .setCustomId('reason')
              .setMinValues(1)
              .setMaxValues(1)
              .addOptions((Object.entries(DECLINE_REASONS) as [DeclineReason, string][]).map(([value, label]) => ({ value, label }))),
          ),
      (l) =>
        l
          .setLabel('Details (required for "Other")')
          .setDescription('Shown to the author with the reason')
          .setTextInputComponent((t) => t.setCustomId('details').setStyle(TextInputStyle.Paragraph).setMaxLength(LIMITS.reasonText).setRequired(false)),
    );
}
