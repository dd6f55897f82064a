import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHALLENGE_STATES, editableFields, nextChallengeState, nextSubmissionState, SUBMISSION_STATES, type ChallengeEvent, type SubmissionEvent } from '../../src/challenges/challenge-state.ts';
import { checkJudge, tally, type CurrentVerdict } from '../../src/challenges/verdict-tally.ts';
import type { ChallengeState, SubmissionState, VerdictKind } from '../../src/db/schema-challenges.ts';
import { UserError } from '../../src/discord/user-error.ts';

const START = 1_000_000;
const DEADLINE = 2_000_000;
const facts = (state: ChallengeState) => ({ state, starts_at: START, deadline_at: DEADLINE });
const outcome = (t: ReturnType<typeof nextChallengeState>) => (t.ok ? t.state : `refused:${t.code}`);

describe('nextChallengeState, every state against every event', () => {
  const events: [string, ChallengeEvent][] = [
    ['announce early', { kind: 'announce', now: START - 1 }],
    ['announce', { kind: 'announce', now: START }],
    ['close early', { kind: 'close', now: DEADLINE - 1 }],
    ['close', { kind: 'close', now: DEADLINE }],
    ['complete with 1 unsettled', { kind: 'complete', unsettled: 1 }],
    ['complete', { kind: 'complete', unsettled: 0 }],
    ['reopen', { kind: 'reopen' }],
    ['cancel', { kind: 'cancel' }],
    ['edit title', { kind: 'edit', fields: ['title'] }],
    ['edit start', { kind: 'edit', fields: ['starts_at'] }],
    ['edit deadline', { kind: 'edit', fields: ['deadline_at'] }],
    ['edit points', { kind: 'edit', fields: ['points'] }],
    ['enter', { kind: 'enter', now: DEADLINE - 1 }],
    ['enter at the deadline', { kind: 'enter', now: DEADLINE }],
  ];
  const expected: Record<ChallengeState, string[]> = {
    //          ann.early           announce            close early         close               complete(1)         complete            reopen              cancel              title        start               deadline            points              enter               enter late
    scheduled: ['refused:conflict', 'open', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'cancelled', 'scheduled', 'scheduled', 'scheduled', 'scheduled', 'refused:conflict', 'refused:conflict'],
    open: ['refused:conflict', 'refused:conflict', 'refused:conflict', 'judging', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'cancelled', 'open', 'refused:conflict', 'open', 'open', 'open', 'refused:invalid_input'],
    judging: ['refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'judged', 'refused:conflict', 'cancelled', 'judging', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:invalid_input', 'refused:invalid_input'],
    judged: ['refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'judging', 'refused:conflict', 'judged', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:invalid_input', 'refused:invalid_input'],
    cancelled: ['refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:conflict', 'refused:not_found', 'refused:not_found'],
  };
  for (const state of CHALLENGE_STATES) {
    it(state, () => {
      expect(events.map(([, e]) => outcome(nextChallengeState(facts(state), e)))).toEqual(expected[state]);
    });
  }

  it('a late entry is refused with the deadline shown as a Discord timestamp', () => {
    const t = nextChallengeState(facts('judging'), { kind: 'enter', now: DEADLINE + 5 });
    expect(t).toEqual({ ok: false, code: 'invalid_input', reason: `Entries closed at the deadline, <t:${DEADLINE / 1000}:f> (<t:${DEADLINE / 1000}:R>); late entries are not accepted.` });
  });

  it('any sequence of events moves forward only: cancelled is final, and only judged goes back (to judging)', () => {
    const order: Record<ChallengeState, number> = { scheduled: 0, open: 1, judging: 2, judged: 3, cancelled: 4 };
    const event = fc.oneof(
      fc.record({ kind: fc.constant('announce' as const), now: fc.integer({ min: 0, max: 3_000_000 }) }),
      fc.record({ kind: fc.constant('close' as const), now: fc.integer({ min: 0, max: 3_000_000 }) }),
      fc.record({ kind: fc.constant('complete' as const), unsettled: fc.nat(3) }),
      fc.constant({ kind: 'reopen' as const }),
      fc.constant({ kind: 'cancel' as const }),
      fc.record({ kind: fc.constant('enter' as const), now: fc.integer({ min: 0, max: 3_000_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let state: ChallengeState = 'scheduled';
        for (const e of events) {
          const t = nextChallengeState(facts(state), e);
          if (!t.ok) continue;
          const back = order[t.state] < order[state];
          expect(back ? state === 'judged' && t.state === 'judging' : true).toBe(true);
          if (state === 'cancelled') expect(t.ok).toBe(false);
          if (t.state === 'open' && state === 'scheduled') expect((e as { now: number }).now).toBeGreaterThanOrEqual(START);
          if (t.state === 'judging' && state === 'open') expect((e as { now: number }).now).toBeGreaterThanOrEqual(DEADLINE);
          state = t.state;
        }
      }),
    );
  });

  it('entries are taken exactly while open and before the deadline', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHALLENGE_STATES), fc.integer({ min: 0, max: 3_000_000 }), (state, now) => {
        expect(nextChallengeState(facts(state), { kind: 'enter', now }).ok).toBe(state === 'open' && now < DEADLINE);
      }),
    );
  });

  it('what may be edited only shrinks along the lifecycle', () => {
    const chain: ChallengeState[] = ['scheduled', 'open', 'judging', 'judged', 'cancelled'];
    for (let i = 1; i < chain.length; i++) {
      const earlier = editableFields(chain[i - 1]!);
      for (const f of editableFields(chain[i]!)) expect(earlier).toContain(f);
    }
    expect(editableFields('open')).not.toContain('starts_at');
    expect(editableFields('judging')).not.toContain('deadline_at');
  });
});

describe('nextSubmissionState', () => {
  const events: SubmissionEvent[] = [{ kind: 'edit' }, { kind: 'queue' }, { kind: 'settle', result: 'best' }, { kind: 'settle', result: null }, { kind: 'void' }];
  const expected: Record<SubmissionState, string[]> = {
    entered: ['entered', 'in_review', 'refused', 'refused', 'void'],
    in_review: ['refused', 'refused', 'best', 'in_review', 'void'],
    accepted: ['refused', 'refused', 'best', 'in_review', 'void'],
    best: ['refused', 'refused', 'best', 'in_review', 'void'],
    declined: ['refused', 'refused', 'best', 'in_review', 'void'],
    void: ['refused', 'refused', 'refused', 'refused', 'refused'],
  };
  for (const state of SUBMISSION_STATES) {
    it(state, () => {
      expect(events.map((e) => { const t = nextSubmissionState(state, e); return t.ok ? t.state : 'refused'; })).toEqual(expected[state]);
    });
  }
});

describe('tally: when judges agree', () => {
  const v = (judge: number, verdict: VerdictKind): CurrentVerdict => ({ judge_id: String(judge), verdict, reason: verdict === 'decline' ? 'wrong' : null, reason_text: null });
  const verdicts = fc.array(fc.constantFrom<VerdictKind>('accept', 'best', 'decline'), { maxLength: 7 }).map((kinds) => kinds.map((k, i) => v(i, k)));

  it('examples', () => {
    expect(tally([v(1, 'accept')], 1)).toEqual({ result: 'accepted', reasons: [] });
    expect(tally([v(1, 'best'), v(2, 'accept')], 2)).toEqual({ result: 'accepted', reasons: [] });
    expect(tally([v(1, 'best'), v(2, 'best')], 2)).toEqual({ result: 'best', reasons: [] });
    expect(tally([v(1, 'accept'), v(2, 'decline')], 1)).toBeNull();
    expect(tally([v(1, 'accept')], 2)).toBeNull();
    expect(tally([v(1, 'decline'), v(2, 'decline'), v(3, 'accept')], 2)).toEqual({ result: 'declined', reasons: [{ reason: 'wrong', text: null }] });
  });

  it('a final verdict has at least N agreeing judges and outnumbers the other side; order does not matter', () => {
    fc.assert(
      fc.property(verdicts, fc.integer({ min: 1, max: 5 }), (vs, n) => {
        const result = tally(vs, n);
        const yes = vs.filter((x) => x.verdict !== 'decline').length;
        const no = vs.length - yes;
        if (result?.result === 'declined') expect(no >= n && no > yes).toBe(true);
        else if (result) expect(yes >= n && yes > no).toBe(true);
        else expect((yes >= n && yes > no) || (no >= n && no > yes)).toBe(false);
        if (result?.result === 'best') expect(vs.filter((x) => x.verdict === 'best').length).toBeGreaterThanOrEqual(n);
        expect(tally([...vs].reverse(), n)).toEqual(result);
      }),
    );
  });

  it('another judge agreeing never undoes a final verdict', () => {
    fc.assert(
      fc.property(verdicts, fc.integer({ min: 1, max: 5 }), (vs, n) => {
        const result = tally(vs, n);
        if (!result) return;
        const same: VerdictKind = result.result === 'declined' ? 'decline' : result.result === 'best' ? 'best' : 'accept';
        expect(tally([...vs, v(99, same)], n)?.result).toBe(result.result);
      }),
    );
  });
});

describe('checkJudge: conflicts of interest', () => {
  type Facts = Parameters<typeof checkJudge>[0];
  const base: Facts = { challengeState: 'judging', submissionState: 'in_review', authorId: 'a', judgeId: 'j', isModerator: true };
  const refusal = (f: Partial<Facts>) => {
    try {
      checkJudge({ ...base, ...f });
      return null;
    } catch (error) {
      return (error as UserError).detail;
    }
  };

  it('nobody judges their own entry, in any state', () => {
    fc.assert(fc.property(fc.constantFrom(...CHALLENGE_STATES), fc.boolean(), (challengeState, isModerator) => {
      expect(refusal({ challengeState, isModerator, judgeId: 'a' })).not.toBeNull();
    }));
    expect(refusal({ judgeId: 'a' })).toBe('This is your own entry: another judge has to decide it.');
  });

  it('only moderators, only after the close, never a cancelled challenge', () => {
    expect(refusal({})).toBeNull();
    expect(refusal({ challengeState: 'judged' })).toBeNull();
    expect(refusal({ isModerator: false })).toBe('Only moderators judge challenge entries.');
    expect(refusal({ challengeState: 'open' })).toBe('Entries are judged after the deadline.');
    expect(refusal({ challengeState: 'cancelled' })).toBe('This challenge was cancelled, so its entries are not judged.');
  });
});
