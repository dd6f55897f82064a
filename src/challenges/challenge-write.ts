// Writing a challenge: create, or edit with the fields its state allows. Each writes its audit row
// (and, for an open challenge, a notice to members) in the same transaction.
import type { Updateable } from 'kysely';
import type { ChallengesTable } from '../db/schema-challenges.ts';
import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import type { ChallengeSetup } from './challenge-config.ts';
import { formatLocalDateTime, parseChallengeForm, type EntryRule, type FormText } from './challenge-input.ts';
import { editNotice } from './challenge-messages.ts';
import { nextChallengeState, requireOk, type EditableField } from './challenge-state.ts';
import { audit, findChallenge, insertChallenge, type ChallengeRow } from './challenges-repo.ts';

export interface Settings {
  points?: number;
  bestBonus?: number;
  judges?: number;
  entryRule?: EntryRule;
}

type Ports = Pick<Deps, 'db' | 'clock'>;

export async function createChallenge(deps: Ports, setup: ChallengeSetup, values: FormText, settings: Settings, actorId: string): Promise<ChallengeRow> {
  const now = deps.clock.now();
  const form = parseChallengeForm(values, {}, setup.timezone, now);
  const rule = settings.entryRule ?? { openTo: 'members', tiers: null };
  return deps.db.transaction().execute(async (trx) => {
    const id = await insertChallenge(trx, {
      title: form.title!, statement: form.statement!, rules: form.rules ?? '', starts_at: form.startsAt!, deadline_at: form.deadlineAt!,
      points: settings.points ?? 0, best_bonus: settings.bestBonus ?? 0, open_to: rule.openTo, tiers: rule.tiers ? JSON.stringify(rule.tiers) : null,
      judges_required: settings.judges ?? 1, state: 'scheduled', created_by: actorId, created_at: now, updated_at: now,
      announced_at: null, closed_at: null, judged_at: null, cancelled_at: null, cancel_reason: null,
    });
    const c = (await findChallenge(trx, id))!;
    const detail = { title: c.title, starts_at: c.starts_at, deadline_at: c.deadline_at, points: c.points, best_bonus: c.best_bonus, open_to: c.open_to, tiers: c.tiers, judges_required: c.judges_required };
    await audit(trx, { challengeId: id, actorId, action: 'created', at: now, detail });
    return c;
  });
}

/** Returns the moderator's confirmation. */
export async function editChallenge(deps: Ports, setup: ChallengeSetup, id: number, values: FormText, settings: Settings, actorId: string): Promise<string> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const c = await findChallenge(trx, id);
    if (!c) throw new UserError('not_found', 'That challenge no longer exists.');
    // A date left as pre-filled is unchanged, even if it is past by now (the form showed it to the minute).
    const typed = { ...values };
    if (typed.start?.trim() === formatLocalDateTime(c.starts_at, setup.timezone)) delete typed.start;
    if (typed.deadline?.trim() === formatLocalDateTime(c.deadline_at, setup.timezone)) delete typed.deadline;
    const form = parseChallengeForm(typed, { startsAt: c.starts_at, deadlineAt: c.deadline_at }, setup.timezone, now);
    const patch: Updateable<ChallengesTable> = {};
    const detail: Partial<Record<EditableField, [unknown, unknown]>> = {};
    const set = (field: EditableField & keyof ChallengeRow, value: string | number | undefined) => {
      if (value === undefined || value === c[field]) return;
      (patch as Record<string, unknown>)[field] = value;
      detail[field] = [c[field], value];
    };
    set('title', form.title);
    set('statement', form.statement);
    set('rules', form.rules);
    set('starts_at', form.startsAt);
    set('deadline_at', form.deadlineAt);
    set('points', settings.points);
    set('best_bonus', settings.bestBonus);
    set('judges_required', settings.judges);
    if (settings.entryRule) {
      const tiers = settings.entryRule.tiers ? JSON.stringify(settings.entryRule.tiers) : null;
      if (settings.entryRule.openTo !== c.open_to || tiers !== c.tiers) {
        Object.assign(patch, { open_to: settings.entryRule.openTo, tiers });
        detail.tiers = [{ open_to: c.open_to, tiers: c.tiers }, { open_to: settings.entryRule.openTo, tiers }];
      }
    }
    const changed = Object.keys(detail) as EditableField[];
    if (changed.length === 0) return `Nothing changed in challenge #${c.id}.`;
    requireOk(nextChallengeState(c, { kind: 'edit', fields: changed }));
    const result = await trx.updateTable('challenges').set({ ...patch, updated_at: now }).where('id', '=', c.id).where('state', '=', c.state).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new UserError('conflict', 'The challenge changed state while you were editing: run /challenge edit again.');
    await audit(trx, { challengeId: c.id, actorId, action: 'edited', at: now, detail });
    if (c.state === 'open') {
      const after = (await findChallenge(trx, c.id))!;
      await enqueueMessage(trx, { target: { channelId: setup.channelId }, body: editNotice(after, changed), dedupeKey: `challenge:${c.id}:edited:${now}`, reason: 'challenge edited', source: `challenge:${c.id}`, now });
    }
    return `Saved challenge #${c.id}: changed ${changed.join(', ')}. The audit trail records it.`;
  });
}
