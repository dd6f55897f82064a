// /challenge list and /challenge show: private answers. A member sees challenges, results and
// their OWN entry; nobody reads another member's entry here (judges see entries in the queue only).
import { MessageFlags, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { challengesOf, isModerator } from './challenge-access.ts';
import { challengeEmbed, resultsMessage } from './challenge-messages.ts';
import { when } from './challenge-state.ts';
import { challengesIn, findChallenge, type ChallengeRow } from './challenges-repo.ts';
import { currentVersion, entriesOf, entryOf } from './submissions-repo.ts';
import { describeResult, parseReasons } from './verdict-tally.ts';

const PER_SECTION = 10;

const line = (c: ChallengeRow, what: string) => `**#${c.id}** ${c.title} · ${what}`;

export async function listChallenges(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  challengesOf(deps);
  const [open, upcoming, judging, past] = await Promise.all([
    challengesIn(deps.db, ['open'], PER_SECTION),
    challengesIn(deps.db, ['scheduled'], PER_SECTION),
    challengesIn(deps.db, ['judging'], PER_SECTION, 'desc'),
    challengesIn(deps.db, ['judged', 'cancelled'], PER_SECTION, 'desc'),
  ]);
  const section = (name: string, rows: ChallengeRow[], what: (c: ChallengeRow) => string) =>
    rows.length ? [{ name, value: rows.map((c) => line(c, what(c))).join('\n').slice(0, 1024), inline: false }] : [];
  const fields = [
    ...section('Open now', open, (c) => `closes ${when(c.deadline_at, 'R')}`),
    ...section('Upcoming', upcoming, (c) => `opens ${when(c.starts_at)}`),
    ...section('Being judged', judging, (c) => `closed ${when(c.deadline_at, 'R')}`),
    ...section('Past', past, (c) => (c.state === 'cancelled' ? 'cancelled' : `judged ${when(c.judged_at ?? c.deadline_at, 'R')}`)),
  ];
  const embed: APIEmbed = { title: 'Challenges', description: fields.length ? 'Read one with `/challenge show`, enter an open one with `/challenge submit`.' : 'No challenges yet.', fields };
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

/**
 * One message per part (the challenge, its results, your entry): each stays within Discord's 6000
 * characters per message, which a long statement and a long entry together would not.
 */
export async function showChallenge(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  challengesOf(deps);
  const c = await findChallenge(deps.db, interaction.options.getInteger('challenge', true));
  if (!c) throw new UserError('not_found', 'There is no challenge with that number: see /challenge list.');
  // Before the start only moderators read the statement: nobody gets a head start.
  const embed = challengeEmbed(c, { withStatement: c.state !== 'scheduled' || isModerator(interaction) });
  const more: APIEmbed[] = [];
  if (c.state === 'judged') {
    const entries = (await entriesOf(deps.db, c.id)).filter((s) => s.state !== 'void');
    more.push({ ...resultsMessage(c, entries, 1).embeds![0]!, title: `Results · judged ${when(c.judged_at ?? c.deadline_at, 'R')}` });
  }
  const mine = await entryOf(deps.db, c.id, interaction.user.id);
  if (mine) {
    const v = await currentVersion(deps.db, mine);
    const fields = [
      { name: 'Status', value: describeResult(mine.state, parseReasons(mine.result_reasons)).slice(0, 1024), inline: false },
      ...(v.link ? [{ name: 'Link', value: v.link, inline: false }] : []),
      ...(v.notes ? [{ name: 'Notes', value: v.notes, inline: false }] : []),
    ];
    more.push({ title: `Your entry (version ${v.version}, ${when(v.at)})`, description: v.solution ?? '*(link only)*', fields });
  }
  await interaction.reply({ content: await statusLine(deps, c), embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  for (const e of more) await interaction.followUp({ embeds: [e], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

async function statusLine(deps: Deps, c: ChallengeRow): Promise<string> {
  switch (c.state) {
    case 'scheduled':
      return `Opens ${when(c.starts_at)} (${when(c.starts_at, 'R')}).`;
    case 'open':
      return `Open: enter with \`/challenge submit\` until ${when(c.deadline_at)} (${when(c.deadline_at, 'R')}).`;
    case 'cancelled':
      return `Cancelled: ${c.cancel_reason ?? 'no reason given'}`;
    case 'judging': {
      const n = (await entriesOf(deps.db, c.id)).length;
      return `Closed; the judges are deciding ${n === 1 ? '1 entry' : `${n} entries`}.`;
    }
    case 'judged':
      return `Judged ${when(c.judged_at ?? c.deadline_at)}: the results follow.`;
  }
}
