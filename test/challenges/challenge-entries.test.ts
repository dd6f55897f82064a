import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import type { BotRig } from '../rigs/bot.ts';
import { challengeDriver, CHANNEL, grant, HOUR, MINUTE, setClock, startChallengeRig, submissionsOf, T0, WAIT } from './challenge-harness.ts';

const { ada, brian, grace, tess, mo } = SAMPLE.users;
const START = Date.UTC(2026, 10, 25, 13); // 14:00 Berlin
const DEADLINE = Date.UTC(2026, 10, 26, 13);

describe('/challenge submit: one private entry per member, versions until the deadline', () => {
  const clock = setClock();
  let rig: BotRig;
  let id: number;
  let proOnly: number;
  const d = challengeDriver(() => rig, clock);
  const db = () => rig.app.db;
  const activity: ActivityInput[] = [];
  beforeAll(async () => {
    rig = await startChallengeRig(clock);
    // The lead wires the real sink; the flow records through whatever deps.activity is.
    rig.app.deps.activity = { record: (e) => void activity.push(e) };
    await rig.discord.addMember({ id: grace, username: 'grace' });
    await grant(db(), ada, 'Supporter');
    await grant(db(), grace, 'Pro');
    id = (await d.create(mo, { points: 10 }, { title: 'Reverse a list', statement: 'In place, O(1) memory.', start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' })).id!;
    proOnly = (await d.create(mo, { points: 10, tiers: 'Pro' }, { title: 'Pro only', statement: 'S', start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' })).id!;
  });
  afterAll(() => rig.stop());

  it('refuses entries before the start, saying when it opens', async () => {
    clock.t = T0;
    const { reply } = await d.enter(ada, id, { solution: 'too early' });
    expect(reply.content).toBe(`That was already handled. This challenge opens <t:${START / 1000}:f>.`);
  });

  it('takes an entry, then a new version on re-submission; every version is kept', async () => {
    await d.tick(START);
    clock.t = START + HOUR;
    const first = await d.enter(ada, id, { solution: 'xs.reverse()', notes: 'one-liner' });
    expect(first.reply).toMatchObject({ ephemeral: true });
    expect(first.reply.content).toBe(`Your entry is in for challenge #${id} **Reverse a list**. Only you and the judges can see it. You can change it until <t:${DEADLINE / 1000}:f> (<t:${DEADLINE / 1000}:R>) with \`/challenge submit\`.`);
    clock.t = START + 2 * HOUR;
    const second = await d.enter(ada, id, { solution: 'for i in range(len(xs)//2): swap', link: 'https://gist.github.com/ada/1' });
    // The form came back pre-filled with her current version.
    const prefilled = Object.fromEntries((second.modal.data.components as { component: { custom_id: string; value?: string } }[]).map((c) => [c.component.custom_id, c.component.value]));
    expect(prefilled).toEqual({ solution: 'xs.reverse()', link: undefined, notes: 'one-liner' });
    expect(second.reply.content).toMatch(/^Your entry is updated \(version 2; earlier versions are kept\)/);
    const [entry] = await submissionsOf(db(), id);
    expect(entry).toMatchObject({ author_id: ada, version: 2, state: 'entered', created_at: START + HOUR, updated_at: START + 2 * HOUR });
    const versions = await db().selectFrom('submission_versions').select(['version', 'solution', 'link', 'notes', 'at']).where('submission_id', '=', entry!.id).orderBy('version').execute();
    expect(versions).toEqual([
      { version: 1, solution: 'xs.reverse()', link: null, notes: 'one-liner', at: START + HOUR },
      { version: 2, solution: 'for i in range(len(xs)//2): swap', link: 'https://gist.github.com/ada/1', notes: null, at: START + 2 * HOUR },
    ]);
    expect(activity).toEqual([
      { userId: ada, kind: 'challenge_entry', at: START + HOUR, channelId: null, ref: `challenge:${id}` },
      { userId: ada, kind: 'challenge_entry', at: START + 2 * HOUR, channelId: null, ref: `challenge:${id}` },
    ]);
    // Nothing about it was posted anywhere.
    expect(rig.discord.requests.filter((r) => r.method === 'POST' && r.path.includes('/channels/') && JSON.stringify(r.body).includes('range(len'))).toEqual([]);
  });

  it.each([
    [{ solution: 'x'.repeat(4001) }, 'The solution is too long (4001 characters; at most 4000). Put longer work behind a link.'],
    [{ solution: '', link: '' }, 'The entry is empty: give a solution, a link to it, or both.'],
    [{ link: 'javascript:alert(1)' }, 'The link must be a web address starting with https:// (or http://).'],
    [{ link: 'ftp://files.example.com/x' }, 'The link must be a web address starting with https:// (or http://).'],
    [{ solution: 'ok', notes: 'n'.repeat(1001) }, 'The notes are too long (1001 characters; at most 1000).'],
  ])('refuses bad entries (%#)', async (fields, message) => {
    clock.t = START + 3 * HOUR;
    const { reply } = await d.enter(ada, id, fields);
    expect(reply.content).toBe(`That input didn't work. ${message}`);
    expect((await submissionsOf(db(), id))[0]!.version).toBe(2);
  });

  it('refuses members without the tier the challenge is for', async () => {
    clock.t = START + 3 * HOUR;
    const none = await d.enter(brian, id, { solution: 'x' });
    expect(none.reply.content).toBe("You don't have permission to do that. This challenge is for members of any paid tier. You have no paid tier. See /tiers, then /join.");
    const wrongTier = await d.enter(ada, proOnly, { solution: 'x' });
    expect(wrongTier.reply.content).toBe("You don't have permission to do that. This challenge is for Pro members. Your tier, Supporter, is not among them. See /tiers, then /join.");
    const pro = await d.enter(grace, proOnly, { solution: 'x' });
    expect(pro.reply.content).toMatch(/^Your entry is in/);
  });

  it('nobody else can read an entry: /challenge show shows each member only their own', async () => {
    clock.t = START + 3 * HOUR;
    const own = await d.everything(ada, 'show', { challenge: id });
    expect(own.map((r) => r.ephemeral)).toEqual([true, true]);
    expect(own[1]!.text).toContain('for i in range(len(xs)//2): swap');
    for (const other of [brian, grace, tess, mo]) {
      const seen = await d.everything(other, 'show', { challenge: id });
      expect(seen.length).toBeGreaterThan(0);
      for (const r of seen) {
        expect(r.ephemeral).toBe(true);
        expect(r.text).not.toContain('range(len');
        expect(r.text).not.toContain('gist.github.com/ada');
      }
    }
    const list = await d.run(brian, 'list');
    expect(list.ephemeral).toBe(true);
    expect(JSON.stringify(list)).not.toContain('range(len');
    // Autocomplete names challenges only.
    const auto = await rig.discord.autocomplete({ userId: brian, name: 'challenge', options: { submit: { challenge: '' } } }).visibleReply(WAIT);
    expect(auto.data).toMatchObject({ choices: [{ name: `#${proOnly} · Pro only (open)`, value: proOnly }, { name: `#${id} · Reverse a list (open)`, value: id }] });
  });

  it('refuses a late entry with the deadline shown, even from a form opened in time', async () => {
    clock.t = DEADLINE - MINUTE;
    const modal = await d.open(ada, 'submit', { challenge: id });
    expect(modal.kind).toBe('modal');
    clock.t = DEADLINE;
    const late = await d.fill(ada, modal, { solution: 'last-second change', link: '', notes: '' });
    const shown = `Entries closed at the deadline, <t:${DEADLINE / 1000}:f> (<t:${DEADLINE / 1000}:R>); late entries are not accepted.`;
    expect(late.content).toBe(`That input didn't work. ${shown}`);
    await d.tick(DEADLINE + MINUTE);
    const after = await d.enter(tess, id, { solution: 'x' });
    expect(after.reply.content).toBe(`That input didn't work. ${shown}`);
    expect((await submissionsOf(db(), id)).map((s) => [s.author_id, s.version, s.state])).toEqual([[ada, 2, 'in_review']]);
  });

  it('cancelling during judging voids the entries, tells the channel and disables the judges\' buttons', async () => {
    clock.t = DEADLINE + HOUR;
    const [entry] = await submissionsOf(db(), proOnly);
    expect(entry!.state).toBe('in_review');
    const form = await d.open(mo, 'cancel', { challenge: proOnly });
    await d.fill(mo, form, { reason: 'The statement had a mistake.' });
    await d.deliver();
    expect(d.botMessages(CHANNEL).at(-1)!.content).toBe(`🚫 Challenge #${proOnly} **Pro only** was cancelled: The statement had a mistake.`);
    expect((await submissionsOf(db(), proOnly))[0]!.state).toBe('void');
    const click = await d.judge(mo, entry!.id, 'accept');
    expect(click.content).toBe('That was already handled. This challenge was cancelled, so its entries are not judged.');
    const show = await d.everything(grace, 'show', { challenge: proOnly });
    expect(show[0]!.text).toContain('Cancelled: The statement had a mistake.');
    expect(show[1]!.text).toContain('void (the challenge was cancelled)');
  });
});
