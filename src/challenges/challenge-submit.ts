// /challenge submit: one entry per member per challenge, editable until the deadline (each edit a
// new version). Entries are private: every reply is ephemeral, and only the author's own entry is
// ever pre-filled or shown back.
import { MessageFlags, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { challengesOf, requireEntrant } from './challenge-access.ts';
import { entryModal, textField } from './challenge-forms.ts';
import { parseEntry } from './entry-input.ts';
import { nextChallengeState, nextSubmissionState, requireOk, when } from './challenge-state.ts';
import { findChallenge, type ChallengeRow } from './challenges-repo.ts';
import { currentVersion, entryOf, saveEntry } from './submissions-repo.ts';

async function enterable(deps: Deps, id: number, userId: string, now: number): Promise<ChallengeRow> {
  const c = await findChallenge(deps.db, id);
  if (!c) throw new UserError('not_found', 'There is no challenge with that number: see /challenge list.');
  requireOk(nextChallengeState(c, { kind: 'enter', now }));
  await requireEntrant(deps, c, userId, now);
  return c;
}

/** Refuses before the member types anything; a second run pre-fills their current version. */
export async function startSubmit(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  challengesOf(deps);
  if (!interaction.inGuild()) throw new UserError('wrong_place', 'Enter challenges from the community server.');
  const c = await enterable(deps, interaction.options.getInteger('challenge', true), interaction.user.id, deps.clock.now());
  const mine = await entryOf(deps.db, c.id, interaction.user.id);
  const current = mine ? await currentVersion(deps.db, mine) : undefined;
  await interaction.showModal(entryModal(c.id, c.title, current ?? {}));
}

export async function submitEntry(interaction: ModalSubmitInteraction, rest: string, deps: Deps): Promise<void> {
  challengesOf(deps);
  const userId = interaction.user.id;
  const entry = parseEntry({ solution: textField(interaction, 'solution') ?? '', link: textField(interaction, 'link') ?? '', notes: textField(interaction, 'notes') ?? '' });
  const now = deps.clock.now();
  // Checked again at submission: the deadline may have passed, or the tier lapsed, while the form was open.
  const c = await enterable(deps, Number(rest), userId, now);
  const saved = await deps.db.transaction().execute(async (trx) => {
    const fresh = await findChallenge(trx, c.id);
    requireOk(nextChallengeState(fresh!, { kind: 'enter', now }));
    const mine = await entryOf(trx, c.id, userId);
    if (mine) requireOk(nextSubmissionState(mine.state, { kind: 'edit' }));
    return saveEntry(trx, c.id, userId, entry, now);
  });
  deps.activity.record({ userId, kind: 'challenge_entry', at: now, channelId: null, ref: `challenge:${c.id}` });
  const what = saved.version === 1 ? 'Your entry is in' : `Your entry is updated (version ${saved.version}; earlier versions are kept)`;
  await interaction.reply({
    content: `${what} for challenge #${c.id} **${c.title}**. Only you and the judges can see it. You can change it until ${when(c.deadline_at)} (${when(c.deadline_at, 'R')}) with \`/challenge submit\`.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  });
}
