// The digest's content, grouped as the issue asks (money, onboarding, engagement, Q&A, challenges
// and content, at risk). Pure: the embed and the CLI's text both render these sections, so an
// owner reads the same figures in Discord and in a terminal.
import type { DigestJson, Metrics, MrrMovement } from './metrics/types.ts';
import { count, countDelta, day, minutes, minutesDelta, money, moneyDelta, percent, percentDelta } from './figures.ts';
import { mainCurrency } from './money.ts';

export interface Line {
  label: string;
  value: string;
}

export interface Section {
  name: string;
  lines: Line[];
}

export interface SectionOptions {
  timeZone: string;
  /** How a member is named: a mention in Discord (allowed_mentions blocks pings), the id in text. */
  mention(userId: string): string;
  /** At most this many at-risk members are listed by name (default 10). */
  atRiskCap?: number;
}

const MOVES: readonly (keyof MrrMovement)[] = ['new', 'reactivated', 'expansion', 'contraction', 'churned'];
const OUTFLOW = new Set<keyof MrrMovement>(['contraction', 'churned']);

export function digestSections(d: DigestJson, o: SectionOptions): Section[] {
  const m = d.metrics;
  const p = d.previous;
  const n = (label: string, k: NumberKey) => ({ label, value: `${count(m[k])}${countDelta(m[k], p[k])}` });
  const r = (label: string, k: RateKey) => ({ label, value: `${percent(m[k])}${percentDelta(m[k], p[k])}` });
  const t = (label: string, k: MinutesKey) => ({ label, value: `${minutes(m[k])}${minutesDelta(m[k], p[k])}` });
  return [
    { name: 'Money', lines: [...moneyLines(m, p), payingLine(m, p), n('Churned members', 'churned_members'), r('Logo churn', 'logo_churn_rate')] },
    { name: 'Onboarding', lines: [n('New paying members', 'new_paying_members'), n('Reactivated members', 'reactivated_members'), r('Activation', 'activation_rate'), r('Week-1 retention', 'week1_retention')] },
    {
      name: 'Engagement',
      lines: [n('Weekly active', 'weekly_active_members'), n('Monthly active', 'monthly_active_members'), r('Active rate', 'active_rate'), r('Stickiness', 'stickiness'), n('Communicators', 'communicators'), n('Messages', 'messages')],
    },
    {
      name: 'Q&A',
      lines: [
        n('Questions asked', 'questions_asked'), r('Answered', 'questions_answered_share'), r('Solved', 'questions_solved_share'),
        t('Median first answer', 'median_first_answer_minutes'), t('Median first expert answer', 'median_first_expert_answer_minutes'), n('Unanswered over 24 h', 'unanswered_over_24h'),
      ],
    },
    {
      name: 'Challenges and content',
      lines: [n('Challenge entries', 'challenge_entries'), n('Posts submitted', 'posts_submitted'), n('Approved', 'posts_approved'), n('Rejected', 'posts_rejected'), t('Median review time', 'median_review_minutes'), n('Review queue', 'review_queue')],
    },
    { name: 'At risk', lines: atRiskLines(m, p, o) },
  ];
}

type NumberKey = { [K in keyof Metrics]: Metrics[K] extends number ? K : never }[keyof Metrics];
type RateKey = 'logo_churn_rate' | 'activation_rate' | 'week1_retention' | 'active_rate' | 'stickiness' | 'questions_answered_share' | 'questions_solved_share';
type MinutesKey = 'median_first_answer_minutes' | 'median_first_expert_answer_minutes' | 'median_review_minutes';

/** Main currency first, then the others alphabetically; every currency seen this week or last. */
function currencies(m: Metrics, p: Metrics): string[] {
  const all = [...new Set([...Object.keys(m.mrr), ...Object.keys(p.mrr), ...Object.keys(m.mrr_movement)])].sort();
  const main = mainCurrency(m.mrr, m.mrr_movement);
  return main ? [main, ...all.filter((c) => c !== main)] : all;
}

function moneyLines(m: Metrics, p: Metrics): Line[] {
  const codes = currencies(m, p);
  if (codes.length === 0) return [{ label: 'MRR', value: '0 (no paid subscriptions)' }];
  const lines: Line[] = [];
  for (const c of codes) {
    const now = m.mrr[c] ?? 0;
    lines.push({ label: `MRR (${c.toUpperCase()})`, value: `${money(now, c)}${moneyDelta(now, p.mrr[c] ?? 0, c)}` });
    const mv = m.mrr_movement[c];
    if (mv) {
      const parts = MOVES.map((k) => `${OUTFLOW.has(k) ? '−' : '+'}${money(mv[k], c)} ${k}`);
      lines.push({ label: `Movement (${c.toUpperCase()})`, value: parts.join(' · ') });
    }
  }
  return lines;
}

function payingLine(m: Metrics, p: Metrics): Line {
  const tiers = Object.entries(m.paying_members_by_tier).map(([tier, k]) => `${tier} ${count(k)}`);
  return { label: 'Paying members', value: [`${count(m.paying_members)}${countDelta(m.paying_members, p.paying_members)}`, ...tiers].join(' · ') };
}

function atRiskLines(m: Metrics, p: Metrics, o: SectionOptions): Line[] {
  const list = m.at_risk_members;
  const cap = o.atRiskCap ?? 10;
  const lines: Line[] = [{ label: 'Members', value: `${count(list.length)}${countDelta(list.length, p.at_risk_members.length)}` }];
  for (const a of list.slice(0, cap)) {
    const renews = a.renews_at ? ` · renews ${day(Date.parse(a.renews_at), o.timeZone)}` : '';
    lines.push({ label: o.mention(a.user_id), value: `last active ${day(Date.parse(a.last_interaction_at), o.timeZone)}${renews}` });
  }
  if (list.length > cap) lines.push({ label: `…and ${list.length - cap} more`, value: '' });
  return lines;
}
