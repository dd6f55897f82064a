import { describe, expect, it } from 'vitest';
import type { QuestionState } from '../../src/db/schema.ts';
import { UserError } from '../../src/discord/user-error.ts';
import { nextQuestionState, requireTransition, type QuestionEventInput, type QuestionFacts } from '../../src/qa/question-state.ts';

const q = (state: QuestionState, more: Partial<QuestionFacts> = {}): QuestionFacts => ({
  state, first_answer_at: state === 'open' ? null : 100, reminded_at: null, nudged_at: null, archived_at: null, ...more,
});
const asker = { by: 'asker', isAsker: true, isModerator: false };
const mod = { by: 'mod', isAsker: false, isModerator: true };
const stranger = { by: 'someone', isAsker: false, isModerator: false };

type Row = [string, QuestionFacts, QuestionEventInput, QuestionState | { refused: string; because: RegExp }];
const table: Row[] = [
  ['an answer moves open to answered', q('open'), { kind: 'answer', byAsker: false }, 'answered'],
  ["the asker's own message is not an answer", q('open'), { kind: 'answer', byAsker: true }, 'open'],
  ['more answers keep it answered', q('answered'), { kind: 'answer', byAsker: false }, 'answered'],
  ['an answer in a solved thread keeps it solved', q('solved'), { kind: 'answer', byAsker: false }, 'solved'],
  ['an answer in a stale thread keeps it stale', q('stale'), { kind: 'answer', byAsker: false }, 'stale'],
  ['the asker solves an answered question', q('answered'), { kind: 'solve', ...asker }, 'solved'],
  ['a moderator solves an answered question', q('answered'), { kind: 'solve', ...mod }, 'solved'],
  ['the asker solves their own unanswered question', q('open'), { kind: 'solve', ...asker }, 'solved'],
  ['someone else may not solve', q('answered'), { kind: 'solve', ...stranger }, { refused: 'forbidden', because: /Only the person who asked or a moderator/ }],
  ['someone else may not solve even an open one', q('open'), { kind: 'solve', ...stranger }, { refused: 'forbidden', because: /Only the person who asked/ }],
  ['solving a stale question is refused', q('stale'), { kind: 'solve', ...asker }, { refused: 'conflict', because: /stale.*\/reopen/ }],
  ['solving twice is refused', q('solved'), { kind: 'solve', ...mod }, { refused: 'conflict', because: /already solved/ }],
  ['reopening a solved, answered question', q('solved'), { kind: 'reopen', ...asker }, 'answered'],
  ['reopening a self-solved question with no answers', q('solved', { first_answer_at: null }), { kind: 'reopen', ...mod }, 'open'],
  ['reopening a stale question', q('stale', { first_answer_at: null }), { kind: 'reopen', ...asker }, 'open'],
  ['reopening an open question is refused', q('open'), { kind: 'reopen', ...asker }, { refused: 'conflict', because: /nothing to reopen/ }],
  ['reopening an answered question is refused', q('answered'), { kind: 'reopen', ...mod }, { refused: 'conflict', because: /nothing to reopen/ }],
  ['someone else may not reopen', q('solved'), { kind: 'reopen', ...stranger }, { refused: 'forbidden', because: /reopen/ }],
  ['an unanswered question gets a reminder', q('open'), { kind: 'remind' }, 'open'],
  ['a second reminder is refused', q('open', { reminded_at: 5 }), { kind: 'remind' }, { refused: 'conflict', because: /already reminded/ }],
  ['an answered question gets no reminder', q('answered'), { kind: 'remind' }, { refused: 'conflict', because: /unanswered/ }],
  ['an answered question gets a nudge', q('answered'), { kind: 'nudge' }, 'answered'],
  ['a second nudge is refused', q('answered', { nudged_at: 5 }), { kind: 'nudge' }, { refused: 'conflict', because: /already nudged/ }],
  ['an open question gets no nudge', q('open'), { kind: 'nudge' }, { refused: 'conflict', because: /answered, unsolved/ }],
  ['an open question goes stale', q('open'), { kind: 'stale' }, 'stale'],
  ['an answered question goes stale', q('answered'), { kind: 'stale' }, 'stale'],
  ['a solved question never goes stale', q('solved'), { kind: 'stale' }, { refused: 'conflict', because: /open question/ }],
  ['stale twice is refused', q('stale'), { kind: 'stale' }, { refused: 'conflict', because: /open question/ }],
  ['a solved question is archived', q('solved'), { kind: 'archive' }, 'solved'],
  ['a stale question is archived', q('stale'), { kind: 'archive' }, 'stale'],
  ['an open question is not archived', q('open'), { kind: 'archive' }, { refused: 'conflict', because: /solved or stale/ }],
  ['archiving twice is refused', q('solved', { archived_at: 9 }), { kind: 'archive' }, { refused: 'conflict', because: /already archived/ }],
];

describe('nextQuestionState', () => {
  it.each(table)('%s', (_name, facts, event, expected) => {
    const t = nextQuestionState(facts, event);
    if (typeof expected === 'string') {
      expect(t).toEqual({ ok: true, state: expected, changed: expected !== facts.state });
    } else {
      expect(t.ok).toBe(false);
      if (t.ok) return;
      expect(t.code).toBe(expected.refused);
      expect(t.reason).toMatch(expected.because);
    }
  });

  it('covers every state with every event kind (no combination throws or returns undefined)', () => {
    const kinds: QuestionEventInput[] = [
      { kind: 'answer', byAsker: false }, { kind: 'answer', byAsker: true }, { kind: 'solve', ...asker }, { kind: 'solve', ...stranger },
      { kind: 'reopen', ...mod }, { kind: 'remind' }, { kind: 'nudge' }, { kind: 'stale' }, { kind: 'archive' },
    ];
    for (const state of ['open', 'answered', 'solved', 'stale'] as const) for (const e of kinds) expect(nextQuestionState(q(state), e)).toHaveProperty('ok');
  });

  it('requireTransition throws the refusal as a UserError the dispatcher renders', () => {
    expect(() => requireTransition(q('answered'), { kind: 'solve', ...stranger })).toThrow(UserError);
    try {
      requireTransition(q('answered'), { kind: 'solve', ...stranger });
    } catch (error) {
      expect((error as UserError).code).toBe('forbidden');
      expect((error as UserError).detail).toBe('Only the person who asked or a moderator can mark the solution.');
    }
    expect(requireTransition(q('answered'), { kind: 'solve', ...asker })).toEqual({ ok: true, state: 'solved', changed: true });
  });
});
