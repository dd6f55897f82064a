// Placeholder until the leaderboard helper lands `/challenge leaderboard` (issue 5, item 4).
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';

export async function showChallengeLeaderboard(_interaction: ChatInputCommandInteraction, _deps: Deps): Promise<void> {
  throw new UserError('unavailable', 'The challenge leaderboard is not ready yet.');
}
