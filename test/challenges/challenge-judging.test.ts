import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf } from '../../src/qa/points.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import type { BotRig } from '../rigs/bot.ts';
import { auditActions, challengeDriver, challengePoints, challengeRow, CHANNEL, componentsOf, grant, HOUR, MODS, setClock, startChallengeRig, submissionsOf, WAIT } from './challenge-harness.ts';

const { ada, brian, grace, mo, jules } = SAMPLE.users;
const MONA = { id: '1300000000000000911', username: 'mona' };
const START = Date.UTC(2026, 10, 25, 13);
const DEADLINE = Date.UTC(2026, 10, 26, 13);

type Embed = { title: string; description: string; fields: { name: string; value: string }[] };
const field = (embed: Embed, name: string) => embed.fields.find((f) => f.name === name)?.value;

describe('judging: N judges agree, no judging your own entry, revisions with an audit trail', () => {
  const clock = setClock();
  let rig: BotRig;
  let id: number;
  const sub: Record<string, number> = {};
  const d = challengeDriver(() => rig, clock);
  const db = () => rig.app.db;

  beforeAll(async () => {
    rig = await startChallengeRig(clock);
    await rig.discord.addMember({ id: grace, username: 'grace' });
    await rig.discord.addMember(MONA, { roles: [SAMPLE.roles.moderator] });
    for (const [who, tier] of [[ada, 'Supporter'], [grace, 'Pro'], [mo, 'Supporter']] as const) await grant(db(), who, tier);
    clock.t = START - HOUR;
    id = (await d.create(mo, { points: 10, best_bonus: 5, judges: 2 }, { title: 'Parse JSON', statement: 'Write a JSON parser.', start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' })).id!;
    await d.tick(START);
    clock.t = START + HOUR;
    await d.enter(ada, id, { solution: 'draft' });
    clock.t = START + 2 * HOUR;
    await d.enter(ada, id, { solution: 'function parse(s) { /* v2 */ }', notes: 'recursive descent' });
    clock.t = START + 3 * HOUR;
    await d.enter(grace, id, { link: 'https://example.com/grace.js' });
    clock.t = START + 4 * HOUR;
    await d.enter(mo, id, { solution: 'JSON.parse' });
    for (const s of await submissionsOf(db(), id)) sub[s.author_id] = s.id;
  });
  afterAll(() => rig.stop());

  it('at the close, each entry goes to the judges once, with its final version and the buttons', async () => {
    const result = await d.tick(DEADLINE);
    expect(result).toEqual({ announced: 0, closed: 1, queued: 3 });
    expect(d.cards()).toHaveLength(3);
    const card = d.cardFor(sub[ada]!);
    const embed = card.embeds[0] as Embed;
    expect(embed.description).toBe('function parse(s) { /* v2 */ }');
    expect(field(embed, 'Author')).toBe(`<@${ada}>`);
    expect(field(embed, 'Notes')).toBe('recursive descent');
    expect(field(embed, 'Version')).toBe(`2, <t:${(START + 2 * HOUR) / 1000}:f>`);
    expect(card.mentions).toEqual([]);
    expect(componentsOf(card.components).map((c) => [c.label, c.custom_id])).toEqual([
      ['Accept', `ch-judge:${sub[ada]}:accept`], ['Accept as best', `ch-judge:${sub[ada]}:best`], ['Decline…', `ch-judge:${sub[ada]}:decline`],
    ]);
    expect(d.botMessages(CHANNEL).at(-1)!.content).toBe(`⏰ **Challenge #${id} · Parse JSON** is closed. 3 entries went to the judges; results follow once they agree.`);
    expect((await d.tick(DEADLINE + HOUR)).closed).toBe(0);
    expect(d.cards()).toHaveLength(3);
  });

  it('only moderators judge, and never their own entry', async () => {
    const member = await rig.discord.clickButton({ userId: brian, message: d.cardFor(sub[ada]!).id, customId: `ch-judge:${sub[ada]}:accept`, channelId: MODS }).visibleReply(WAIT);
    expect(member.content).toBe("You don't have permission to do that. Only moderators judge challenge entries.");
    const own = await d.judge(mo, sub[mo]!, 'accept');
    expect(own.content).toBe("You don't have permission to do that. This is your own entry: another judge has to decide it.");
    const ownDecline = await d.decline(mo, sub[mo]!, 'wrong');
    expect(ownDecline.content).toMatch(/This is your own entry/);
    expect(await db().selectFrom('verdicts').selectAll().execute()).toEqual([]);
  });

  it('one verdict is not enough when two judges must agree; the card shows who said what', async () => {
    const first = await d.judge(mo, sub[ada]!, 'best');
    expect(first.kind).toBe('update');
    const embed = first.embeds[0] as Embed;
    expect(embed.description).toBe('function parse(s) { /* v2 */ }');
    expect(first.content).toContain(`**Verdicts:**\n<@${mo}>: ⭐ accept as best\n**Status:** waiting: 2 judges must agree`);
    expect((await submissionsOf(db(), id)).find((s) => s.id === sub[ada])!.state).toBe('in_review');
  });

  it('declines carry reasons; "Other" needs details', async () => {
    const missing = await d.decline(jules, sub[grace]!, 'other');
    expect(missing.content).toBe('That input didn\'t work. With "Other", say why in the details: the author reads it.');
    await d.decline(mo, sub[grace]!, 'wrong');
    const second = await d.decline(jules, sub[grace]!, 'other', 'Copied from a blog post');
    expect(second.content).toContain(`<@${mo}>: ❌ decline (Wrong: it does not solve the problem)\n<@${jules}>: ❌ decline (Other — Copied from a blog post)\n**Status:** final: ❌ declined`);
    expect((await challengeRow(db(), id)).state).toBe('judging');
  });

  it('when every entry is final: judged, points at the entry time, results announced without pings, verdicts by DM', async () => {
    rig.discord.setDmsClosed(grace, true);
    await d.judge(jules, sub[ada]!, 'best');
    await d.judge(jules, sub[mo]!, 'accept');
    const last = await d.judge(MONA.id, sub[mo]!, 'accept');
    expect(last.content).toMatch(/\*\*Status:\*\* final: ✅ accepted$/);
    expect(await challengeRow(db(), id)).toMatchObject({ state: 'judged', results_round: 1 });
    expect(await challengePoints(db())).toEqual([
      { member_id: ada, amount: 10, ref: `challenge:${id}:entry:${sub[ada]}`, at: START + 2 * HOUR },
      { member_id: ada, amount: 5, ref: `challenge:${id}:best:${sub[ada]}`, at: START + 2 * HOUR },
      { member_id: mo, amount: 10, ref: `challenge:${id}:entry:${sub[mo]}`, at: START + 4 * HOUR },
    ]);
    await d.deliver();
    const results = d.botMessages(CHANNEL).at(-1)!;
    expect(results.content).toBe(`🏁 **Results** for challenge #${id}.`);
    expect((results.embeds[0] as Embed).description).toBe(`3 members took part.\n✅ **Accepted** (10 points each): <@${ada}>, <@${mo}>\n⭐ **Best entry:** <@${ada}> (+5 bonus points)`);
    expect(results.mentions).toEqual([]);
    expect(d.dms(ada)).toEqual([`Your entry for challenge #${id} **Parse JSON** was ⭐ accepted as the best entry. You earn **15 points**.`]);
    expect(d.dms(mo)).toEqual([`Your entry for challenge #${id} **Parse JSON** was ✅ accepted. You earn **10 points**.`]);
    // Grace's DMs are closed: she reads it privately with her next interaction.
    const shown = await rig.discord.runCommand({ userId: grace, name: 'challenge', options: { list: {} } }).waitForResponse((r) => r.kind === 'followup');
    expect(String(shown.body.content)).toContain('Your entry for challenge');
    expect(String(shown.body.content)).toContain('❌ declined (Wrong: it does not solve the problem; Other — Copied from a blog post)');
    expect(shown.ephemeral).toBe(true);
    const show = await d.everything(brian, 'show', { challenge: id });
    expect(show).toHaveLength(2);
    expect(show[1]!.text).toContain('3 members took part.');
  });

  it('one best entry per challenge', async () => {
    await d.judge(jules, sub[mo]!, 'best');
    const refused = await d.judge(MONA.id, sub[mo]!, 'best');
    expect(refused.content).toBe(`That was already handled. Entry #${sub[ada]} is already this challenge's best entry. Revise that verdict first: there is one best entry per challenge.`);
  });

  it('a revision after the results reverses the points, re-credits under fresh refs and tells the author again', async () => {
    clock.t = DEADLINE + 5 * HOUR;
    // jules changes his mind: now one best, one decline: no agreement, so the challenge is judged again.
    await d.decline(jules, sub[ada]!, 'too_short');
    expect((await challengeRow(db(), id)).state).toBe('judging');
    expect(await pointsOf(db(), ada)).toBe(0);
    clock.t = DEADLINE + 6 * HOUR;
    await d.decline(MONA.id, sub[ada]!, 'incomplete');
    expect(await challengeRow(db(), id)).toMatchObject({ state: 'judged', results_round: 2 });
    await d.deliver();
    expect(d.dms(ada).at(-1)).toBe(`Your entry for challenge #${id} **Parse JSON** was ❌ declined (Too short: not enough to judge; Incomplete: parts of the task are missing). (The judges revised their verdict; this replaces what you were told before.)`);
    expect(d.botMessages(CHANNEL).at(-1)!.content).toBe(`🔁 **Updated results** for challenge #${id} (a verdict was revised).`);
    // And back: three judges now call it the best. New refs, since a reversed ref is never credited again.
    clock.t = DEADLINE + 7 * HOUR;
    await d.judge(jules, sub[ada]!, 'best');
    await d.judge(MONA.id, sub[ada]!, 'best');
    expect(await pointsOf(db(), ada)).toBe(15);
    const refs = (await challengePoints(db())).filter((p) => p.member_id === ada).map((p) => [p.ref.replace(`challenge:${id}:`, ''), p.amount]);
    const s = sub[ada];
    const seq = (await submissionsOf(db(), id)).find((x) => x.id === s)!.result_seq;
    expect(refs).toEqual([
      [`entry:${s}`, 10], [`best:${s}`, 5], [`entry:${s}:reversed`, -10], [`best:${s}:reversed`, -5], [`entry:${s}:r${seq}`, 10], [`best:${s}:r${seq}`, 5],
    ]);
    const trail = await db().selectFrom('verdicts').select(['judge_id', 'verdict', 'reason', 'replaced_at']).where('submission_id', '=', s!).orderBy('id').execute();
    expect(trail.filter((v) => v.judge_id === jules)).toEqual([
      { judge_id: jules, verdict: 'best', reason: null, replaced_at: DEADLINE + 5 * HOUR },
      { judge_id: jules, verdict: 'decline', reason: 'too_short', replaced_at: DEADLINE + 7 * HOUR },
      { judge_id: jules, verdict: 'best', reason: null, replaced_at: null },
    ]);
    expect((await auditActions(db(), id)).filter((a) => a.startsWith('verdict') || a === 'judged' || a === 'reopened')).toEqual([
      ...Array(6).fill('verdict'), 'judged', 'verdict_revised', // jules: mo's entry accept -> best
      'verdict_revised', 'reopened', 'verdict', 'judged', // jules: ada best -> decline; mona declines too
      'verdict_revised', 'verdict_revised', // both back to best: the results change, the challenge stays judged
    ]);
  });
});
