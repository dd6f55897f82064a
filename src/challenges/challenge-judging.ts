// A judge's click on a queue card: record the verdict (a revision keeps the old one), decide whether
// the judges now agree, settle the challenge when every entry is final, and redraw the card.
import { ComponentType, PermissionFlagsBits, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { DeclineReason, SubmissionState, VerdictKind } from '../db/schema-challenges.ts';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { challengesOf } from './challenge-access.ts';
import { LIMITS } from './challenge-input.ts';
import { settleChallenge } from './challenge-settle.ts';
import { audit, findChallenge } from './challenges-repo.ts';
import { declineModal, judgeCard } from './judge-card.ts';
import { currentVerdicts, currentVersion, findSubmission, recordVerdict } from './submissions-repo.ts';
import { checkJudge, DECLINE_REASONS, tally } from './verdict-tally.ts';

export interface VerdictInput {
  verdict: VerdictKind;
  reason: DeclineReason | null;
  reasonText: string | null;
}

const isModerator = (i: ButtonInteraction | ModalSubmitInteraction) => i.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;

async function loadForJudge(deps: Deps, submissionId: number, judgeId: string, moderator: boolean) {
  const s = await findSubmission(deps.db, submissionId);
  const c = s && (await findChallenge(deps.db, s.challenge_id));
  if (!s || !c) throw new UserError('not_found', 'This entry no longer exists.');
  checkJudge({ challengeState: c.state, submissionState: s.state, authorId: s.author_id, judgeId, isModerator: moderator });
  return { s, c };
}

/** Accept / Accept as best record at once; Decline first asks for the reason. */
export async function judgeButton(interaction: ButtonInteraction, rest: string, deps: Deps): Promise<void> {
  challengesOf(deps);
  const [id, verdict] = rest.split(':');
  if (verdict !== 'accept' && verdict !== 'best' && verdict !== 'decline') throw new UserError('expired');
  await loadForJudge(deps, Number(id), interaction.user.id, isModerator(interaction));
  if (verdict === 'decline') return interaction.showModal(declineModal(Number(id)));
  await judge(interaction, Number(id), { verdict, reason: null, reasonText: null }, deps);
}

export async function declineSubmit(interaction: ModalSubmitInteraction, rest: string, deps: Deps): Promise<void> {
  challengesOf(deps);
  const field = interaction.fields.fields.get('reason');
  const reason = (field?.type === ComponentType.StringSelect ? field.values[0] : undefined) as DeclineReason | undefined;
  if (!reason || !(reason in DECLINE_REASONS)) throw new UserError('invalid_input', 'Pick a reason for the decline.');
  const details = interaction.fields.fields.get('details');
  const text = (details?.type === ComponentType.TextInput ? details.value : '').trim();
  if (text.length > LIMITS.reasonText) throw new UserError('invalid_input', `The details are too long (at most ${LIMITS.reasonText} characters).`);
  if (reason === 'other' && !text) throw new UserError('invalid_input', 'With "Other", say why in the details: the author reads it.');
  await judge(interaction, Number(rest), { verdict: 'decline', reason, reasonText: text || null }, deps);
}

async function judge(interaction: ButtonInteraction | ModalSubmitInteraction, submissionId: number, v: VerdictInput, deps: Deps): Promise<void> {
  const setup = challengesOf(deps);
  const judgeId = interaction.user.id;
  const moderator = isModerator(interaction);
  const now = deps.clock.now();
  const card = await deps.db.transaction().execute(async (trx) => {
    const s = await findSubmission(trx, submissionId);
    const c = s && (await findChallenge(trx, s.challenge_id));
    if (!s || !c) throw new UserError('not_found', 'This entry no longer exists.');
    checkJudge({ challengeState: c.state, submissionState: s.state, authorId: s.author_id, judgeId, isModerator: moderator });
    const before = await currentVerdicts(trx, s.id);
    const mine = before.find((x) => x.judge_id === judgeId);
    const unchanged = mine && mine.verdict === v.verdict && mine.reason === v.reason && mine.reason_text === v.reasonText;
    if (!unchanged) {
      const after = [...before.filter((x) => x !== mine), { judge_id: judgeId, verdict: v.verdict, reason: v.reason, reason_text: v.reasonText }];
      const final = tally(after, c.judges_required);
      if (final?.result === 'best') {
        const other = await trx.selectFrom('submissions').select('id').where('challenge_id', '=', c.id).where('state', '=', 'best').where('id', '!=', s.id).executeTakeFirst();
        if (other) throw new UserError('conflict', `Entry #${other.id} is already this challenge's best entry. Revise that verdict first: there is one best entry per challenge.`);
      }
      const recorded = await recordVerdict(trx, { submissionId: s.id, judgeId, ...v, at: now });
      await audit(trx, {
        challengeId: c.id, actorId: judgeId, action: mine ? 'verdict_revised' : 'verdict', at: now,
        detail: { submissionId: s.id, verdictId: recorded.id, verdict: v.verdict, reason: v.reason, text: v.reasonText, ...(mine ? { replaced: { verdict: mine.verdict, reason: mine.reason, text: mine.reason_text } } : {}) },
      });
      const state: SubmissionState = final?.result ?? 'in_review';
      const reasons = final?.reasons.length ? JSON.stringify(final.reasons) : null;
      if (state !== s.state || reasons !== s.result_reasons) {
        await trx
          .updateTable('submissions')
          .set({ state, result_reasons: reasons, result_at: final ? now : null, result_seq: s.result_seq + 1 })
          .where('id', '=', s.id)
          .execute();
      }
      await settleChallenge(trx, { reputation: deps.reputation, reportTimezone: deps.config.reportTimezone, channelId: setup.channelId }, c.id, now);
    }
    const fresh = (await findSubmission(trx, s.id))!;
    return judgeCard((await findChallenge(trx, c.id))!, fresh, await currentVersion(trx, fresh), await currentVerdicts(trx, s.id));
  });
  deps.outbox.kick();
  const view = { content: card.content, embeds: card.embeds, components: card.components, allowedMentions: NO_PINGS };
  if (interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage())) await interaction.update(view);
  else await interaction.reply({ ...view, flags: 'Ephemeral' });
}
