// Review cards go to MOD_CHANNEL_ID through the outbox (same transaction as the submission, one
// card per version and reason to enter the queue, exactly once via the dedupe key and nonce).
import type { DbOrTrx } from '../membership/outbox.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import { tierOf } from './post-access.ts';
import type { PostPorts } from './post-ports.ts';
import { authorHistory, type PostRow, type VersionRow } from './posts-repo.ts';
import { reviewCard, type CardFacts, type CardStatus } from './review-card.ts';

type CardPorts = Pick<PostPorts, 'tiers' | 'policy'>;

/** Everything a card shows about the author, read now (tier and history change over time). */
export async function cardFacts(db: DbOrTrx, ports: CardPorts, post: PostRow, version: VersionRow, now: number): Promise<CardFacts> {
  const tier = await tierOf({ db, tiers: ports.tiers, policy: ports.policy }, post.author_id, now);
  return { post, version, tierName: tier?.name ?? null, history: await authorHistory(db, post.author_id, post.id) };
}

/**
 * Queues the card of a version that (re-)entered the queue. `reason` tells the card apart from an
 * earlier one of the same version: 'submitted', or `reversed:<decisionId>`.
 */
export async function queueCard(trx: DbOrTrx, ports: CardPorts & Pick<PostPorts, 'setup'>, post: PostRow, version: VersionRow, now: number, reason: string, note?: string): Promise<void> {
  const status: CardStatus = { kind: 'pending', ...(note ? { note } : {}) };
  await enqueueMessage(trx, {
    target: { channelId: ports.setup.modChannelId },
    body: reviewCard(await cardFacts(trx, ports, post, version, now), status),
    dedupeKey: `post-card:${version.id}:${reason}`,
    reason: `posts: version ${version.number} of post #${post.id} waits for review`,
    source: `post:${post.id}`,
    now,
  });
}
