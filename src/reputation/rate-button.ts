// The rating buttons under every published post: custom_id `rate:<postId>:<stars>`. The post id
// is in the custom_id, so the buttons work on any message, forever, across restarts.
import { ButtonStyle, ComponentType, MessageFlags, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { z } from 'zod';
import type { ComponentHandler } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { ratePost, type RateOutcome } from './ratings.ts';

export const RATE_PREFIX = 'rate';

/** The row the posts feature puts under a published post. */
export function ratingRow(postId: number): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [1, 2, 3, 4, 5].map((n) => ({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${RATE_PREFIX}:${postId}:${n}`, label: `${n}★` })),
  };
}

const restSchema = z.string().regex(/^\d{1,12}:[1-5]$/).transform((rest) => {
  const [post, stars] = rest.split(':');
  return { postId: Number(post), stars: Number(stars) };
});

export const rateButton: ComponentHandler = {
  prefix: RATE_PREFIX,
  async handle(interaction, rest, deps) {
    const parsed = restSchema.safeParse(rest);
    if (!interaction.isButton() || !parsed.success) throw new UserError('expired');
    if (!interaction.inGuild()) throw new UserError('wrong_place', 'Rate posts in the community server.');
    const at = interaction.createdTimestamp;
    const outcome = await ratePost({ db: deps.db, reputation: deps.reputation, timeZone: deps.config.reportTimezone }, { ...parsed.data, raterId: interaction.user.id, at });
    if (outcome.kind === 'rated') deps.activity.record({ userId: interaction.user.id, kind: 'rating', at, channelId: interaction.channelId, ref: `post:${parsed.data.postId}` });
    await interaction.reply({ content: rateReply(outcome, deps.reputation.minAccountAgeDays), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  },
};

export function rateReply(outcome: RateOutcome, minAccountAgeDays: number): string {
  if (outcome.kind === 'unchanged') return `You already rated this post ${outcome.stars}★. Pick another number to change it.`;
  const was = outcome.previous === null ? '' : ` (was ${outcome.previous}★)`;
  const note = outcome.newAccount ? ` Your Discord account is less than ${minAccountAgeDays} days old, so the author gets no points for it.` : '';
  return `You rated ${outcome.stars}★${was}. Thanks: ratings decide what /top shows.${note}`;
}
