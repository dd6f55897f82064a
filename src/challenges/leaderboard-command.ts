// `/challenge leaderboard [period]` (issue 5 item 4): challenge points only, this month by default.
// commands/challenge.ts declares the subcommand with a `period` string option (choices month | all).
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';
import { periodOption, replyWithBoard } from './leaderboard-reply.ts';

export async function showChallengeLeaderboard(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  if (!deps.challenges) throw new UserError('unavailable', 'Challenges are not set up on this server.');
  await replyWithBoard(interaction, deps, {
    name: 'Challenge leaderboard',
    source: 'challenge',
    timeZone: deps.challenges.timezone,
    period: periodOption(interaction),
    what: 'Challenge points',
  });
}
