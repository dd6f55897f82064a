import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tierListChoices } from '../../src/challenges/challenge-autocomplete.ts';
import { mayEnter } from '../../src/challenges/challenge-access.ts';
import { formatLocalDateTime, parseChallengeForm, parseEntryRule, parseLocalDateTime } from '../../src/challenges/challenge-input.ts';
import { parseEntry } from '../../src/challenges/entry-input.ts';
import { UserError } from '../../src/discord/user-error.ts';
import { parseTiers } from '../../src/membership/tiers.ts';
import { SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';

const BERLIN = 'Europe/Berlin';
const tiers = parseTiers(SANDBOX_TIERS);
const detail = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return `${error.code}: ${error.detail}`;
  }
};

describe('dates typed in the community zone', () => {
  it('reads YYYY-MM-DD HH:MM in the zone, across DST', () => {
    expect(parseLocalDateTime('2026-11-25 14:00', BERLIN, 'The start')).toBe(Date.UTC(2026, 10, 25, 13));
    expect(parseLocalDateTime('2026-07-01 14:00', BERLIN, 'The start')).toBe(Date.UTC(2026, 6, 1, 12));
    expect(parseLocalDateTime('2026-11-25T9:05', 'America/New_York', 'The start')).toBe(Date.UTC(2026, 10, 25, 14, 5));
    expect(parseLocalDateTime('2026-11-25 14:00:30', BERLIN, 'The start')).toBe(Date.UTC(2026, 10, 25, 13, 0, 30));
    // 02:30 does not exist on 2026-03-29 in Berlin (clocks jump 02:00 -> 03:00): it reads as 03:30 summer time.
    expect(parseLocalDateTime('2026-03-29 02:30', BERLIN, 'The start')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // 02:30 happens twice on 2026-10-25: the first one (still summer time, UTC+2).
    expect(parseLocalDateTime('2026-10-25 02:30', BERLIN, 'The start')).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  it.each(['tomorrow', '25.11.2026 14:00', '2026-11-25', '2026-13-01 10:00', '2026-02-29 10:00', '2026-04-31 10:00', '2026-11-25 24:00', '2026-11-25 10:60', '2026-11-25 10:00:60'])(
    'refuses "%s", saying the format and the zone',
    (text) => {
      expect(detail(() => parseLocalDateTime(text, BERLIN, 'The start'))).toMatch(/^invalid_input: The start ".*" is not a (real )?date and time: write it as YYYY-MM-DD HH:MM in Europe\/Berlin time, e.g\. 2026-12-01 18:00\.$/);
    },
  );

  it('formats back to what the form shows, for any minute in any of several zones', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2035, 0, 1) / 60_000 }), fc.constantFrom(BERLIN, 'America/New_York', 'Asia/Kolkata', 'UTC'), (minute, zone) => {
        const at = minute * 60_000;
        const text = formatLocalDateTime(at, zone);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
        const back = parseLocalDateTime(text, zone, 'x');
        // Equal, except in the repeated hour of a fall-back, where the first occurrence is chosen.
        expect(back === at || formatLocalDateTime(back, zone) === text).toBe(true);
      }),
    );
  });
});

describe('the challenge form', () => {
  const now = Date.UTC(2026, 10, 25, 12);
  const form = { title: 'T', statement: 'S', rules: '', start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' };

  it('a start already past means now; text is trimmed', () => {
    expect(parseChallengeForm({ ...form, title: '  T  ', start: '2026-11-01 10:00' }, {}, BERLIN, now)).toEqual({ title: 'T', statement: 'S', rules: '', startsAt: now, deadlineAt: Date.UTC(2026, 10, 26, 13) });
  });

  it.each([
    [{ deadline: '2026-11-25 13:00' }, 'invalid_input: The deadline 2026-11-25 13:00 (Europe/Berlin) is in the past: pick a later one.'],
    [{ start: '2026-11-26 14:00' }, 'invalid_input: The start is not before the deadline: the challenge must open before it closes (times in Europe/Berlin).'],
    [{ title: '   ' }, 'invalid_input: The title is empty.'],
    [{ title: 'x'.repeat(101) }, 'invalid_input: The title is too long (101 characters; at most 100).'],
    [{ rules: 'r'.repeat(1001) }, 'invalid_input: The rules are too long (1001 characters; at most 1000).'.replace('are', 'is')],
  ])('refuses %j', (change, message) => {
    expect(detail(() => parseChallengeForm({ ...form, ...change }, {}, BERLIN, now))).toBe(message);
  });

  it('an edit without the start checks the new deadline against the stored start', () => {
    const stored = { startsAt: Date.UTC(2026, 10, 27, 13), deadlineAt: Date.UTC(2026, 10, 28, 13) };
    expect(detail(() => parseChallengeForm({ deadline: '2026-11-26 14:00' }, stored, BERLIN, now))).toMatch(/The start is not before the deadline/);
  });
});

describe('entries and entry rules', () => {
  it('keeps the code indentation, drops empty optional fields', () => {
    expect(parseEntry({ solution: '\n  if x:\n    y\n\n', link: ' https://github.com/a/b ', notes: '  ' })).toEqual({ solution: '  if x:\n    y', link: 'https://github.com/a/b', notes: null });
    expect(parseEntry({ solution: '', link: 'http://example.org/x', notes: '' })).toEqual({ solution: null, link: 'http://example.org/x', notes: null });
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'https://', 'not a url', 'http://localhost/x', `https://example.com/${'a'.repeat(500)}`])('refuses the link %s', (link) => {
    expect(detail(() => parseEntry({ solution: 'x', link, notes: '' }))).toMatch(/^invalid_input: The link (must be a web address|is too long)/);
  });

  it('parses who may enter', () => {
    expect(parseEntryRule(null, tiers)).toEqual({ openTo: 'members', tiers: null });
    expect(parseEntryRule('Everyone', tiers)).toEqual({ openTo: 'everyone', tiers: null });
    expect(parseEntryRule('pro, Founder, PRO', tiers)).toEqual({ openTo: 'tiers', tiers: ['Pro', 'Founder'] });
    expect(detail(() => parseEntryRule('Pro, Gold', tiers))).toBe('invalid_input: "Gold" is not a tier. Use "everyone", leave it empty for any paid tier, or name tiers separated by commas: Founder, Pro, Supporter.');
  });

  it('decides entry by tier: exact names only, a higher tier is not let in by a lower one', () => {
    const pro = { open_to: 'tiers' as const, tiers: '["Pro"]' };
    expect(mayEnter(pro, 'Pro')).toBe(true);
    expect(mayEnter(pro, 'Founder')).toBe(false);
    expect(mayEnter(pro, null)).toBe(false);
    expect(mayEnter({ open_to: 'members', tiers: null }, 'Supporter')).toBe(true);
    expect(mayEnter({ open_to: 'members', tiers: null }, null)).toBe(false);
    expect(mayEnter({ open_to: 'everyone', tiers: null }, null)).toBe(true);
  });

  it('autocompletes a comma-separated tier list', () => {
    expect(tierListChoices(tiers, '').map((c) => c.value)).toEqual(['Supporter', 'Pro', 'Founder', 'members', 'everyone']);
    expect(tierListChoices(tiers, 'Pro, f').map((c) => c.value)).toEqual(['Pro, Founder']);
    expect(tierListChoices(tiers, 'Pro,').map((c) => c.value)).toEqual(['Pro, Supporter', 'Pro, Founder']);
  });
});
