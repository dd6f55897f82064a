// /challenge cancel (moderators): asks for a reason, then cancels in one transaction: the state,
// the entries (void: never judged, never credited), the audit row and, if it was announced, a notice.
import { MessageFlags, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import { challengesOf, requireModerator } from './challenge-access.ts';
import { cancelModal, textField } from './challenge-forms.ts';
import { LIMITS } from './challenge-input.ts';
import { cancelNotice } from './challenge-messages.ts';
import { nextChallengeState, requireOk } from './challenge-state.ts';
import { audit, claim, findChallenge } from './challenges-repo.ts';

export async function startCancel(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  challengesOf(deps);
  requireModerator(interaction);
  const c = await findChallenge(deps.db, interaction.options.getInteger('challenge', true));
  if (!c) throw new UserError('not_found', 'There is no challenge with that number: see /challenge list.');
  requireOk(nextChallengeState(c, { kind: 'cancel' }));
  await interaction.showModal(cancelModal(c.id, c.title));
}

export async function submitCancel(interaction: ModalSubmitInteraction, rest: string, deps: Deps): Promise<void> {
  const setup = challengesOf(deps);
  requireModerator(interaction);
  const reason = (textField(interaction, 'reason') ?? '').trim();
  if (!reason) throw new UserError('invalid_input', 'Give a reason: members read it.');
  if (reason.length > LIMITS.cancelReason) throw new UserError('invalid_input', `The reason is too long (at most ${LIMITS.cancelReason} characters).`);
  const now = deps.clock.now();
  const c = await deps.db.transaction().execute(async (trx) => {
    const c = await findChallenge(trx, Number(rest));
    if (!c) throw new UserError('not_found', 'That challenge no longer exists.');
    requireOk(nextChallengeState(c, { kind: 'cancel' }));
    if (!(await claim(trx, c.id, c.state, { state: 'cancelled', cancelled_at: now, cancel_reason: reason, updated_at: now }))) {
      throw new UserError('conflict', 'The challenge changed state meanwhile: run /challenge cancel again.');
    }
    const voided = await trx.updateTable('submissions').set({ state: 'void' }).where('challenge_id', '=', c.id).where('state', '!=', 'void').executeTakeFirst();
    await audit(trx, { challengeId: c.id, actorId: interaction.user.id, action: 'cancelled', at: now, detail: { reason, from: c.state, voidedEntries: Number(voided.numUpdatedRows) } });
    if (c.announced_at !== null) {
      await enqueueMessage(trx, { target: { channelId: setup.channelId }, body: cancelNotice(c, reason), dedupeKey: `challenge:${c.id}:cancelled`, reason: 'challenge cancelled', source: `challenge:${c.id}`, now });
    }
    return c;
  });
  deps.outbox.kick();
  const notice = c.announced_at !== null ? ` Members are told in <#${setup.channelId}>.` : ' It was never announced, so members see nothing.';
  await interaction.reply({ content: `Challenge #${c.id} **${c.title}** is cancelled.${notice}`, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
