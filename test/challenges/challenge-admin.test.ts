import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import type { BotRig } from '../rigs/bot.ts';
import { auditActions, challengeDriver, challengeRow, CHANNEL, componentsOf, HOUR, setClock, startChallengeRig, T0, WAIT } from './challenge-harness.ts';

const { ada, mo, jules } = SAMPLE.users;

describe('/challenge create, edit, cancel (moderators)', () => {
  const clock = setClock();
  let rig: BotRig;
  const d = challengeDriver(() => rig, clock);
  const db = () => rig.app.db;
  beforeAll(async () => {
    rig = await startChallengeRig(clock);
  });
  afterAll(() => rig.stop());

  it('schedules a challenge from the form; dates are read in the community zone', async () => {
    clock.t = T0;
    const modal = await d.open(mo, 'create', { points: 20, best_bonus: 10, judges: 2, tiers: 'Pro, supporter' });
    expect(modal.kind).toBe('modal');
    const labels = (modal.data.components as { type: number; label: string; description: string }[]).map((c) => c.label);
    expect(labels).toEqual(['Title', 'Statement', 'Rules (optional)', 'Start (YYYY-MM-DD HH:MM)', 'Deadline (YYYY-MM-DD HH:MM)']);
    expect((modal.data.components as { description: string }[])[3]!.description).toContain('Europe/Berlin');
    const reply = await d.fill(mo, modal, { title: 'Fizz without buzz', statement: 'Print 1..100, but…', rules: 'Any language', start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' });
    expect(reply).toMatchObject({ ephemeral: true });
    const id = Number(/Challenge #(\d+)/.exec(reply.content!)![1]);
    // 14:00 in Berlin in November is 13:00 UTC.
    expect(reply.content).toContain(`<t:${Date.UTC(2026, 10, 25, 13) / 1000}:f>`);
    expect(await challengeRow(db(), id)).toMatchObject({
      title: 'Fizz without buzz', statement: 'Print 1..100, but…', rules: 'Any language', state: 'scheduled', points: 20, best_bonus: 10, judges_required: 2,
      open_to: 'tiers', tiers: '["Pro","Supporter"]', starts_at: Date.UTC(2026, 10, 25, 13), deadline_at: Date.UTC(2026, 10, 26, 13), created_by: mo,
    });
    expect(await auditActions(db(), id)).toEqual(['created']);
  });

  it('refuses members: the moderator subcommands are checked server-side', async () => {
    const reply = await d.open(ada, 'create', { points: 5 });
    expect(reply).toMatchObject({ kind: 'reply', ephemeral: true });
    expect(reply.content).toMatch(/^You don't have permission to do that\. Only moderators/);
  });

  it.each([
    [{ start: '2026-11-25 14:00', deadline: '2026-11-25 12:30' }, /The deadline 2026-11-25 12:30 \(Europe\/Berlin\) is in the past/],
    [{ start: '2026-11-27 14:00', deadline: '2026-11-26 14:00' }, /The start is not before the deadline/],
    [{ start: 'tomorrow', deadline: '2026-11-26 14:00' }, /The start "tomorrow" is not a date and time: write it as YYYY-MM-DD HH:MM in Europe\/Berlin time/],
    [{ start: '2026-02-30 10:00', deadline: '2026-11-26 14:00' }, /not a real date and time/],
    [{ start: '2026-11-25 14:00', deadline: '2026-11-26 14:00', statement: 'x'.repeat(4001) }, /The statement is too long \(4001 characters; at most 4000\)/],
  ])('refuses bad input and keeps what was typed behind "Fix the form" (%#)', async (form, message) => {
    clock.t = T0;
    const before = await db().selectFrom('challenges').select('id').execute();
    const modal = await d.open(mo, 'create', { points: 5 });
    const reply = await d.fill(mo, modal, { title: 'T', statement: 'S', rules: '', ...form });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(message);
    expect(reply.content).toContain('Nothing was saved');
    expect(await db().selectFrom('challenges').select('id').execute()).toEqual(before);
    const [fix] = componentsOf(reply.components);
    expect(fix).toMatchObject({ type: 2, label: 'Fix the form' });
    const again = await rig.discord.clickButton({ userId: mo, message: String(reply.data.id), customId: fix!.custom_id! }).visibleReply(WAIT);
    expect(again.kind).toBe('modal');
    const values = (again.data.components as { component: { custom_id: string; value?: string } }[]).map((c) => [c.component.custom_id, c.component.value]);
    expect(values).toContainEqual(['start', form.start]);
    // Another moderator cannot use someone else's saved form.
    const other = await rig.discord.clickButton({ userId: jules, message: String(reply.data.id), customId: fix!.custom_id! }).visibleReply(WAIT);
    expect(other.content).toMatch(/^This has expired/);
  });

  it('edits with the fields the state allows, pre-filled, and records old and new values', async () => {
    clock.t = T0;
    const { id } = await d.create(mo, { points: 10 }, { title: 'Edit me', statement: 'Old', start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' });
    const modal = await d.open(jules, 'edit', { challenge: id, points: 15, tiers: 'everyone' });
    const prefilled = Object.fromEntries((modal.data.components as { component: { custom_id: string; value?: string } }[]).map((c) => [c.component.custom_id, c.component.value]));
    expect(prefilled).toEqual({ title: 'Edit me', statement: 'Old', rules: undefined, start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' });
    const reply = await d.fill(jules, modal, { ...prefilled, rules: '', statement: 'New', deadline: '2026-11-27 14:00' } as Record<string, string>);
    expect(reply.content).toBe(`Saved challenge #${id}: changed statement, deadline_at, points, tiers. The audit trail records it.`);
    expect(await challengeRow(db(), id!)).toMatchObject({ statement: 'New', points: 15, open_to: 'everyone', tiers: null, deadline_at: Date.UTC(2026, 10, 27, 13) });
    const edit = await db().selectFrom('challenge_audit').selectAll().where('challenge_id', '=', id!).where('action', '=', 'edited').executeTakeFirstOrThrow();
    expect(edit.actor_id).toBe(jules);
    expect(JSON.parse(edit.detail!)).toMatchObject({ statement: ['Old', 'New'], points: [10, 15], deadline_at: [Date.UTC(2026, 10, 26, 13), Date.UTC(2026, 10, 27, 13)] });

    // Once open, the start is gone from the form and announced members hear about a new deadline.
    await d.tick(Date.UTC(2026, 10, 25, 13));
    const open = await d.open(mo, 'edit', { challenge: id });
    expect((open.data.components as { component: { custom_id: string } }[]).map((c) => c.component.custom_id)).toEqual(['title', 'statement', 'rules', 'deadline']);
    await d.fill(mo, open, { title: 'Edit me', statement: 'New', rules: '', deadline: '2026-11-28 14:00' });
    await d.deliver();
    expect(d.botMessages(CHANNEL).at(-1)!.content).toContain(`The deadline is now <t:${Date.UTC(2026, 10, 28, 13) / 1000}:f>`);

    // Once closed, points and deadline are fixed: refused before the form opens.
    await d.tick(Date.UTC(2026, 10, 28, 13));
    const refused = await d.open(mo, 'edit', { challenge: id, points: 99 });
    expect(refused.content).toMatch(/The points can no longer change: the challenge is judged/);
    const closed = await d.open(mo, 'edit', { challenge: id });
    expect((closed.data.components as { component: { custom_id: string } }[]).map((c) => c.component.custom_id)).toEqual(['title', 'statement', 'rules']);
    expect(await auditActions(db(), id!)).toEqual(['created', 'edited', 'announced', 'edited', 'closed', 'judged']);
  });

  it('cancels with a reason: entries void, members told only if it was announced, audit kept', async () => {
    clock.t = T0;
    const quiet = await d.create(mo, { points: 5 }, { title: 'Never mind', statement: 'S', start: '2026-12-01 10:00', deadline: '2026-12-02 10:00' });
    const form = await d.open(mo, 'cancel', { challenge: quiet.id });
    expect(form.kind).toBe('modal');
    const before = d.botMessages(CHANNEL).length;
    const done = await d.fill(mo, form, { reason: 'Duplicate of #1' });
    expect(done.content).toBe(`Challenge #${quiet.id} **Never mind** is cancelled. It was never announced, so members see nothing.`);
    await d.deliver();
    expect(d.botMessages(CHANNEL)).toHaveLength(before);
    expect(await challengeRow(db(), quiet.id!)).toMatchObject({ state: 'cancelled', cancel_reason: 'Duplicate of #1', cancelled_at: T0 });
    expect(await auditActions(db(), quiet.id!)).toEqual(['created', 'cancelled']);
    const again = await d.open(mo, 'cancel', { challenge: quiet.id });
    expect(again.content).toBe('That was already handled. This challenge is already cancelled.');
    // The job never announces a cancelled challenge.
    expect((await d.tick(Date.UTC(2026, 11, 3))).announced).toBe(0);
  });
});
