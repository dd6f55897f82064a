import { describe, expect, it } from 'vitest';
import { count, countDelta, minutes, minutesDelta, percent, percentDelta } from '../../src/reports/figures.ts';
import { formatMoney, mainCurrency } from '../../src/reports/money.ts';
import { digestEmbed, digestMessage, digestText } from '../../src/reports/digest-render.ts';
import { AS_OF, emptyDigest, livelyDigest, userId } from './fixtures.ts';

const fields = (embed: ReturnType<typeof digestEmbed>) => Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));

describe('figures', () => {
  it('formats money in minor units per currency, zero- and three-decimal currencies included', () => {
    expect(formatMoney(12345, 'usd')).toBe('$123.45');
    expect(formatMoney(500, 'jpy')).toBe('¥500');
    // Intl puts a no-break space after a currency code.
    expect(formatMoney(12345, 'kwd')).toMatch(/^KWD\s12\.345$/);
    expect(formatMoney(12345, 'eur')).toBe('€123.45');
    expect(formatMoney(12345, 'cad')).toBe('CA$123.45');
    expect(formatMoney(100, 'xyz')).toMatch(/^XYZ\s1\.00$/);
    expect(mainCurrency({ usd: 10, eur: 20 })).toBe('eur');
    expect(mainCurrency({})).toBeNull();
  });

  it('shows deltas with a sign, rates in percentage points, and nothing when a side is null', () => {
    expect(countDelta(5, 3)).toBe(' (+2)');
    expect(countDelta(3, 5)).toBe(' (−2)');
    expect(countDelta(3, 3)).toBe(' (±0)');
    expect(percent(0.625)).toBe('63%');
    expect(percent(0.001)).toBe('0.1%');
    expect(percent(0.999)).toBe('99.9%');
    expect(percentDelta(0.05, 0.02)).toBe(' (+3 pp)');
    expect(percentDelta(0.05, null)).toBe('');
    expect(minutes(135)).toBe('2 h 15 min');
    expect(minutes(3000)).toBe('2 d 2 h');
    expect(minutesDelta(30, 45)).toBe(' (−15 min)');
    expect(count(null)).toBe('—');
  });
});

describe('the digest embed', () => {
  it('groups the figures as money, onboarding, engagement, Q&A, challenges and content, at risk', () => {
    const embed = digestEmbed(livelyDigest(), { timeZone: 'Europe/Berlin', withChart: true });
    expect(embed.fields?.map((f) => f.name)).toEqual(['Money', 'Onboarding', 'Engagement', 'Q&A', 'Challenges and content', 'At risk']);
    const f = fields(embed);
    expect(f.Money).toContain('**MRR (USD)** $1,234.56 (+$41.00)');
    expect(f.Money).toContain('**Movement (USD)** +$45.00 new · +$9.00 reactivated · +$10.00 expansion · −$5.00 contraction · −$18.00 churned');
    expect(f.Money).toContain('**MRR (JPY)** ¥5,000 (+¥5,000)');
    expect(f.Money).toContain('**Paying members** 40 (+3) · Supporter 30 · Pro 10');
    expect(f.Money).toContain('**Logo churn** 5% (+3 pp)');
    expect(f.Engagement).toContain('**Weekly active** 25 (+2)');
    // previous.median_first_answer_minutes is null: the value shows, the change does not.
    expect(f['Q&A']).toContain('**Median first answer** 42 min\n');
    expect(f['Challenges and content']).toContain('**Median review time** 2 d 2 h (±0)');
    expect(embed.image).toEqual({ url: 'attachment://digest.png' });
  });

  it('renders the week and dates in REPORT_TIMEZONE', () => {
    // AS_OF is 08:00 UTC: 09:00 in Berlin, 03:00 in New York.
    expect(digestEmbed(livelyDigest(), { timeZone: 'Europe/Berlin', withChart: false }).description).toContain('Mon, Nov 23, 2026, 09:00 (Europe/Berlin)');
    expect(digestEmbed(livelyDigest(), { timeZone: 'America/New_York', withChart: false }).description).toContain('Mon, Nov 23, 2026, 03:00 (America/New_York)');
    // The first at-risk member renews at AS_OF + 2 days: Wednesday.
    expect(fields(digestEmbed(livelyDigest(), { timeZone: 'UTC', withChart: false }))['At risk']).toContain(`**<@${userId(1)}>** last active Tue, Nov 3, 2026 · renews Wed, Nov 25, 2026`);
  });

  it('shows — for every null of an empty community, never NaN', () => {
    const embed = digestEmbed(emptyDigest(), { timeZone: 'UTC', withChart: false });
    const f = fields(embed);
    expect(JSON.stringify(embed)).not.toMatch(/NaN|undefined|null/);
    expect(f.Money).toContain('**MRR** 0 (no paid subscriptions)');
    expect(f.Money).toContain('**Logo churn** —');
    expect(f.Onboarding).toContain('**Activation** —');
    expect(f['Q&A']).toContain('**Median first answer** —');
    expect(f['At risk']).toBe('**Members** 0 (±0)');
    expect(embed.image).toBeUndefined();
  });

  it('names at-risk members without pinging anyone, and lists the first 10 then "and N more"', () => {
    const message = digestMessage(livelyDigest(AS_OF, 13), { timeZone: 'UTC', withChart: true });
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const atRisk = message.embeds![0]!.fields!.find((f) => f.name === 'At risk')!.value;
    expect(atRisk.match(/<@\d+>/g)).toHaveLength(10);
    expect(atRisk).toContain(`<@${userId(10)}>`);
    expect(atRisk).not.toContain(`<@${userId(11)}>`);
    expect(atRisk.split('\n').at(-1)).toBe('**…and 3 more**');
    expect(message.attachments).toEqual([expect.objectContaining({ id: '0', filename: 'digest.png' })]);
  });

  it('has a plain-text twin with the same figures', () => {
    const text = digestText(livelyDigest(), { timeZone: 'UTC' });
    expect(text).toContain('\nMoney\n  MRR (USD): $1,234.56 (+$41.00)\n');
    expect(text).toContain(`  member ${userId(1)}: last active Tue, Nov 3, 2026 · renews Wed, Nov 25, 2026`);
    expect(text).not.toContain('**');
    expect(digestText(emptyDigest(), { timeZone: 'UTC' })).toContain('  Stickiness: —\n');
  });
});
