import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachThread, createQuestion, markSolved, reopen } from '../../src/qa/questions-repo.ts';
import { ftsQuery, queryTokens, searchSolved, similarSolved } from '../../src/qa/search.ts';
import { informativeTokens } from '../../src/qa/search-terms.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const T0 = Date.UTC(2026, 10, 1);
type Fixture = { key: string; title: string; body: string; topics: string[]; solution: string; solved?: boolean };

// Each entry is a decoy for some query below: shared words in lower-weight columns, or unsolved.
const CORPUS: Fixture[] = [
  { key: 'mapped', title: 'Mapped type loses optional modifiers with keyof', body: 'When I map over keyof T the ? disappears.', topics: ['typescript'], solution: 'Use a homomorphic mapped type: [K in keyof T]: T[K].' },
  { key: 'generic', title: 'Generic constraint error in function overloads', body: 'The type checker complains about my mapped helper type and keyof usage in overloads.', topics: ['typescript'], solution: 'Order overloads from most to least specific.' },
  { key: 'webhook-title', title: 'Stripe webhook signature verification fails', body: 'constructEvent throws every time.', topics: ['payments'], solution: 'Pass the raw body, not parsed JSON.' },
  { key: 'webhook-body', title: 'Payments stop after deploy', body: 'Logs mention webhook and signature problems but also timeouts and retries.', topics: ['payments'], solution: 'The load balancer stripped a header.' },
  { key: 'clone', title: 'Deep copy of a nested object', body: 'JSON.parse(JSON.stringify()) drops dates.', topics: ['javascript'], solution: 'structuredClone keeps Dates, Maps and Sets.' },
  { key: 'borrow', title: 'Borrow checker rejects a loop over a vector', body: 'cannot borrow as mutable more than once', topics: ['rust'], solution: 'Iterate over indices or use iter_mut.' },
  { key: 'lifetimes', title: 'Lifetime annotations on struct references', body: 'missing lifetime specifier', topics: ['rust'], solution: "Add <'a> to the struct and its field." },
  { key: 'migration', title: 'Kysely migration order on a fresh database', body: 'Migrations run in the wrong order in CI.', topics: ['databases'], solution: 'Prefix file names with a sortable timestamp.' },
  { key: 'docker', title: 'Docker compose healthcheck never passes', body: 'The container stays unhealthy although the app answers.', topics: ['devops'], solution: 'curl is missing from the slim image; use wget.' },
  { key: 'fts', title: 'SQLite full text search ranking', body: 'How do I rank FTS5 results by relevance?', topics: ['databases'], solution: 'ORDER BY bm25(table) with column weights.' },
  { key: 'open-decoy', title: 'Mapped type keyof modifiers question still open', body: 'mapped type keyof mapped type keyof', topics: ['typescript'], solution: '', solved: false },
  { key: 'reopened-decoy', title: 'Docker compose healthcheck flaky', body: 'docker compose healthcheck', topics: ['devops'], solution: 'Increase the interval.' },
  { key: 'css', title: 'Centering a div with flexbox', body: 'align-items does nothing', topics: ['css'], solution: 'Give the parent a height.' },
  { key: 'react', title: 'React effect runs twice in development', body: 'useEffect fires two times', topics: ['react'], solution: 'StrictMode double-invokes effects on purpose.' },
];

let t: TestDatabase;
const ids = new Map<string, number>();
const keyOf = (id: number) => [...ids].find(([, v]) => v === id)?.[0];
const keys = async (query: string) => (await searchSolved(t.db, query)).map((h) => keyOf(h.id));

beforeAll(async () => {
  t = await freshDatabase();
  for (const [i, f] of CORPUS.entries()) {
    const q = await createQuestion(t.db, { channelId: 'forum', askerId: `asker${i}`, title: f.title, body: f.body, code: null, topics: f.topics, createdAt: T0 + i, reminderDueAt: T0 + i });
    await attachThread(t.db, q.id, `thread-${f.key}`);
    ids.set(f.key, q.id);
    if (f.solved === false) continue;
    await markSolved(t.db, { questionId: q.id, actor: { by: `asker${i}`, isModerator: false }, solutionMessageId: `sol-${f.key}`, solutionAuthorId: 'helper', solutionText: f.solution, at: T0 + 1000 + i, points: 1, archiveDueAt: null });
  }
  await reopen(t.db, { questionId: ids.get('reopened-decoy')!, actor: { by: 'mod', isModerator: true }, at: T0 + 5000 });
});
afterAll(() => t.cleanup());

describe('searchSolved', () => {
  it('puts the best match first', async () => {
    expect((await keys('mapped type keyof'))[0]).toBe('mapped');
    expect((await keys('webhook signature'))).toEqual(['webhook-title', 'webhook-body']); // title outweighs body
    expect((await keys('borrow vector'))[0]).toBe('borrow');
    expect((await keys('rank search results'))[0]).toBe('fts');
  });

  it('searches the solution excerpt, the topics, and word stems', async () => {
    expect(await keys('structuredClone')).toEqual(['clone']);
    expect((await keys('rust')).sort()).toEqual(['borrow', 'lifetimes']);
    expect((await keys('migrating'))[0]).toBe('migration'); // porter: migrating ~ migration
  });

  it('never returns unsolved or reopened questions', async () => {
    const all = [...(await keys('mapped type keyof modifiers')), ...(await keys('docker compose healthcheck flaky'))];
    expect(all).not.toContain('open-decoy');
    expect(all).not.toContain('reopened-decoy');
    expect(await keys('docker compose healthcheck')).toEqual(['docker']);
  });

  it('falls back to any-word matches when no question has every word', async () => {
    expect((await keys('docker healthcheck unicorn'))[0]).toBe('docker');
  });

  it('returns id, title, thread, channel, solution message and a snippet; at most 5', async () => {
    const [hit] = await searchSolved(t.db, 'structuredClone');
    expect(hit).toEqual({ id: ids.get('clone'), title: 'Deep copy of a nested object', threadId: 'thread-clone', channelId: 'forum', solutionMessageId: 'sol-clone', snippet: expect.stringContaining('**structuredClone**') });
    expect((await searchSolved(t.db, 'the a of in on with to type rust docker')).length).toBeLessThanOrEqual(5);
    expect(await searchSolved(t.db, 'type', 2)).toHaveLength(2);
  });

  it.each([
    '"', '"unterminated', '*', 'type*', 'NEAR', 'NEAR(mapped keyof)', 'mapped NEAR/2 keyof', '-', '-docker', 'title:webhook', ':', '^mapped',
    'AND', 'OR NOT', 'a AND OR b', '(', ')(', '{title body}: x', "'; drop table questions; --", '', '   ', '💥', '"mapped type"',
  ])('member input %j never throws', async (input) => {
    await expect(searchSolved(t.db, input)).resolves.toBeInstanceOf(Array);
    await expect(similarSolved(t.db, input, input)).resolves.toBeInstanceOf(Array);
  });

  it('treats operators and quotes as plain words', async () => {
    expect(queryTokens('title:"mapped type" -keyof NEAR OR x*')).toEqual(['title', 'mapped', 'type', 'keyof', 'x']);
    expect(ftsQuery(['a', 'b'], 'or')).toBe('"a" OR "b"');
    expect(ftsQuery([], 'and')).toBeNull();
    expect((await keys('"mapped type" keyof'))[0]).toBe('mapped');
  });
});

describe('which words are searched', () => {
  it('a query of stopwords only finds nothing rather than everything', async () => {
    expect(await searchSolved(t.db, 'how to do it with the')).toEqual([]);
  });

  it('drops words no solved question has, and words in over half of them (bm25 weighs those ~0)', async () => {
    const solved = CORPUS.filter((f) => f.solved !== false).length - 1; // minus the reopened one
    expect(solved).toBe(12);
    // "zyzzyva" is nowhere, "mapped" in 2 of the 12, "the" in 8 of them.
    expect(await informativeTokens(t.db, ['zyzzyva', 'the', 'mapped'])).toEqual(['mapped']);
    expect(await informativeTokens(t.db, ['the'])).toEqual(['the']); // all common: the rarest stays
    expect(await informativeTokens(t.db, ['zyzzyva'])).toEqual([]);
    expect(await keys('zyzzyva mapped keyof')).toContain('mapped');
  });

  it('finds a word as soon as a question with it is solved, even right after a search missed it', async () => {
    expect(await keys('quokka')).toEqual([]);
    const q = await createQuestion(t.db, { channelId: 'forum', askerId: 'late', title: 'Quokka renderer crashes', body: 'quokka', code: null, topics: ['react'], createdAt: T0 + 99, reminderDueAt: T0 });
    ids.set('quokka', q.id);
    await markSolved(t.db, { questionId: q.id, actor: { by: 'late', isModerator: false }, solutionMessageId: 'sol-quokka', solutionAuthorId: 'helper', solutionText: 'Update it.', at: T0 + 9999, points: 1, archiveDueAt: null });
    expect(await keys('quokka')).toEqual(['quokka']);
    await reopen(t.db, { questionId: q.id, actor: { by: 'late', isModerator: false }, at: T0 + 10_000 });
    expect(await keys('quokka')).toEqual([]);
  });
});

describe('similarSolved', () => {
  it('finds up to 3 solved look-alikes of a new question, best first', async () => {
    const hits = await similarSolved(t.db, 'Webhook signature check failing', 'Stripe constructEvent keeps throwing');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(keyOf(hits[0]!.id)).toBe('webhook-title');
  });
});
