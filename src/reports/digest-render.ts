// The digest as a Discord message (one embed, the chart attached) and as plain text for the CLI.
// Both come from digestSections, so they say the same thing.
import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { DigestJson } from './metrics/types.ts';
import { dayTime } from './figures.ts';
import { digestSections, type Line, type Section } from './digest-sections.ts';

export const CHART_FILE = 'digest.png';
/** Discord's limit for one embed field's value. */
const FIELD_MAX = 1024;

export interface RenderOptions {
  timeZone: string;
  /** Title prefix: the weekly digest, or /stats' "week so far". */
  title?: string;
  atRiskCap?: number;
}

function heading(d: DigestJson, timeZone: string): string {
  const asOf = Date.parse(d.as_of);
  return `Week ${dayTime(asOf - 7 * 86_400_000, timeZone)} – ${dayTime(asOf, timeZone)} (${timeZone}). Changes in brackets are against the week before; — means no data.`;
}

const fieldValue = (lines: Line[]) => {
  const text = lines.map((l) => `**${l.label}**${l.value ? ` ${l.value}` : ''}`).join('\n');
  return text.length <= FIELD_MAX ? text : `${text.slice(0, FIELD_MAX - 1)}…`;
};

export function digestEmbed(d: DigestJson, o: RenderOptions & { withChart: boolean }): APIEmbed {
  const sections = digestSections(d, { timeZone: o.timeZone, atRiskCap: o.atRiskCap, mention: (id) => `<@${id}>` });
  return {
    title: o.title ?? 'Weekly digest',
    description: heading(d, o.timeZone),
    fields: sections.map((s: Section) => ({ name: s.name, value: fieldValue(s.lines) })),
    ...(o.withChart ? { image: { url: `attachment://${CHART_FILE}` } } : {}),
    footer: { text: 'Definitions: docs/metrics.md · every figure: npm run digest -- --json' },
    timestamp: d.as_of,
  };
}

/**
 * The owners' channel message. Members are named as mentions so owners can click them, and
 * allowed_mentions parse none means nobody is pinged.
 */
export function digestMessage(d: DigestJson, o: RenderOptions & { withChart: boolean }): RESTPostAPIChannelMessageJSONBody {
  return {
    embeds: [digestEmbed(d, o)],
    allowed_mentions: { parse: [] },
    ...(o.withChart ? { attachments: [{ id: '0', filename: CHART_FILE, description: 'Cohort retention, paying and active members over 12 weeks, MRR movement' }] } : {}),
  };
}

/** The same content as the embed, for a terminal. */
export function digestText(d: DigestJson, o: RenderOptions): string {
  const sections = digestSections(d, { timeZone: o.timeZone, atRiskCap: o.atRiskCap, mention: (id) => `member ${id}` });
  const out = [o.title ?? 'Weekly digest', heading(d, o.timeZone)];
  for (const s of sections) {
    out.push('', s.name);
    for (const l of s.lines) out.push(`  ${l.label}${l.value ? `: ${l.value}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
