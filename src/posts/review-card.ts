// The moderators' view of a post version: the review card in MOD_CHANNEL_ID, and its buttons.
// custom_ids carry the version or decision id, so the buttons work after a restart.
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { DecisionAction } from '../db/schema-posts.ts';
import { customId } from '../discord/ui-state.ts';
import { kindLabel } from './post-modal.ts';
import type { DecisionRow, PostRow, VersionRow } from './posts-repo.ts';

export const REVIEW_PREFIX = 'post-review';
export const REVERSE_PREFIX = 'post-reverse';
export type ReviewAction = 'approve' | 'reject' | 'changes';

export interface CardFacts {
  post: Pick<PostRow, 'id' | 'author_id' | 'author_name' | 'audience_tier' | 'published_version_id'>;
  version: Pick<VersionRow, 'id' | 'number' | 'title' | 'body' | 'link' | 'kind' | 'submitted_at'>;
  tierName: string | null;
  history: { published: number; rejected: number; unpublished: number; total: number };
}

export type CardStatus =
  | { kind: 'pending'; note?: string }
  | { kind: 'decided'; decision: DecisionRow }
  | { kind: 'closed'; line: string };

const COLORS = { pending: 0x5865f2, approve: 0x57f287, reject: 0xed4245, request_changes: 0xfee75c, closed: 0x99aab5 } as const;
const VERBS: Record<DecisionAction, string> = { approve: '✅ Approved', reject: '❌ Rejected', request_changes: '✏️ Changes requested', unpublish: '🗑️ Unpublished', reverse: '↩️ Reversed' };

export const ts = (at: number, style: 'R' | 'f' = 'f') => `<t:${Math.floor(at / 1000)}:${style}>`;
export const verb = (action: DecisionAction) => VERBS[action];

export function decisionLine(d: Pick<DecisionRow, 'action' | 'actor_id' | 'at' | 'reason'>): string {
  const why = d.reason ? `\n> ${d.reason.replace(/\n/g, '\n> ')}` : '';
  return `${VERBS[d.action]} by <@${d.actor_id}> at ${ts(d.at)}${why}`;
}

function button(id: string, label: string, style: ButtonStyle, disabled: boolean): APIButtonComponent {
  return { type: ComponentType.Button, custom_id: id, label, style, disabled } as APIButtonComponent;
}

function buttons(versionId: number, status: CardStatus): APIActionRowComponent<APIButtonComponent>[] {
  const off = status.kind !== 'pending';
  const row: APIButtonComponent[] = [
    button(customId(REVIEW_PREFIX, `${versionId}:approve`), 'Approve', ButtonStyle.Success, off),
    button(customId(REVIEW_PREFIX, `${versionId}:reject`), 'Reject…', ButtonStyle.Danger, off),
    button(customId(REVIEW_PREFIX, `${versionId}:changes`), 'Request changes…', ButtonStyle.Secondary, off),
  ];
  if (status.kind === 'decided' && status.decision.reversed_by_id === null) {
    row.push(button(customId(REVERSE_PREFIX, `${status.decision.id}:card`), 'Reverse…', ButtonStyle.Secondary, false));
  }
  return [{ type: ComponentType.ActionRow, components: row }];
}

export const audienceLabel = (tier: string | null) => (tier === null ? 'All members' : `${tier} members and above`);

export function cardEmbed(f: CardFacts, color: number): APIEmbed {
  const { post, version } = f;
  const h = f.history;
  const edit = post.published_version_id !== null && post.published_version_id !== version.id && version.number > 1;
  return {
    title: version.title.slice(0, 256),
    description: version.body,
    ...(version.link ? { url: version.link } : {}),
    color,
    fields: [
      { name: 'Author', value: `<@${post.author_id}> (${post.author_name.slice(0, 80)})`, inline: true },
      { name: 'Tier', value: f.tierName ?? 'none (moderator)', inline: true },
      { name: 'Other posts', value: h.total === 0 ? 'none: a first post' : `${h.total}: ${h.published} published, ${h.rejected} rejected, ${h.unpublished} unpublished`, inline: true },
      { name: 'Kind', value: kindLabel(version.kind), inline: true },
      { name: 'Audience', value: audienceLabel(post.audience_tier), inline: true },
      { name: 'Submitted', value: ts(version.submitted_at, 'R'), inline: true },
      ...(version.link ? [{ name: 'Link', value: version.link }] : []),
      ...(edit ? [{ name: 'Edit', value: `Version ${version.number} of a published post: the published version stays until this one is approved.` }] : []),
    ],
    footer: { text: `post #${post.id} · version ${version.number} (id ${version.id})` },
  };
}

export interface CardBody {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
}

export function reviewCard(f: CardFacts, status: CardStatus): CardBody {
  let content: string;
  let color: number;
  if (status.kind === 'pending') {
    content = `📝 **Waiting for review**${status.note ? `\n${status.note}` : ''}`;
    color = COLORS.pending;
  } else if (status.kind === 'decided') {
    content = decisionLine(status.decision);
    color = COLORS[status.decision.action as keyof typeof COLORS] ?? COLORS.closed;
  } else {
    content = status.line;
    color = COLORS.closed;
  }
  return { content, embeds: [cardEmbed(f, color)], components: buttons(f.version.id, status), allowed_mentions: { parse: [] } };
}

/** Parses `<versionId>:<action>` from a review button or reason modal. */
export function parseReviewId(rest: string): { versionId: number; action: ReviewAction } | null {
  const m = /^(\d{1,12}):(approve|reject|changes)$/.exec(rest);
  return m ? { versionId: Number(m[1]), action: m[2] as ReviewAction } : null;
}

/** Parses `<decisionId>:<card|view>` from a reverse button or modal. */
export function parseReverseId(rest: string): { decisionId: number; from: 'card' | 'view' } | null {
  const m = /^(\d{1,12}):(card|view)$/.exec(rest);
  return m ? { decisionId: Number(m[1]), from: m[2] as 'card' | 'view' } : null;
}
