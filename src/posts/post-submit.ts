// Submitting: a new post, or a new version of an existing one (edits go through review again).
// One transaction: rate limit, rows, and the review card in the outbox; activity after commit.
import { UserError } from '../discord/user-error.ts';
import type { PostText } from './post-modal.ts';
import type { PostPorts } from './post-ports.ts';
import { checkPostRate } from './post-rate-limit.ts';
import { requireTransition, VISIBLE } from './post-state.ts';
import { createPost, factsOf, insertVersion, latestVersion, loadPost, queuePosition, writeOutcome, type PostRow, type VersionRow } from './posts-repo.ts';
import { queueCard } from './review-queue.ts';

export interface Submitted {
  post: PostRow;
  version: VersionRow;
  /** 1-based place in the review queue. */
  position: number;
}

export interface Author {
  id: string;
  /** Their display name in the server; null where it is unknown (a DM), keeping the stored one. */
  name: string | null;
  /** Moderators are not rate limited. */
  moderator: boolean;
}

export async function submitNew(ports: PostPorts, input: { author: Author; text: PostText; audienceTier: string | null; draftId?: string }): Promise<Submitted> {
  const now = ports.clock.now();
  const result = await ports.db.transaction().execute(async (trx) => {
    if (input.draftId !== undefined) {
      // The draft goes in the same transaction: a double click on the audience menu submits once.
      const claimed = await trx.deleteFrom('ui_state').where('id', '=', input.draftId).executeTakeFirst();
      if (Number(claimed.numDeletedRows) !== 1) throw new UserError('conflict', 'This post was already submitted: /post mine shows it.');
    }
    if (!input.author.moderator) await checkPostRate(trx, input.author.id, ports.setup.rateLimit, now);
    const { post, version } = await createPost(trx, { authorId: input.author.id, authorName: input.author.name ?? input.author.id, text: input.text, audienceTier: input.audienceTier, now });
    await queueCard(trx, ports, post, version, now, 'submitted');
    return { post, version, position: await queuePosition(trx, version) };
  });
  after(ports, result, now);
  return result;
}

/** A new version by the author; a published post stays as it is until the new version is approved. */
export async function submitEdit(ports: PostPorts, input: { postId: number; author: Author; text: PostText }): Promise<Submitted> {
  const now = ports.clock.now();
  const result = await ports.db.transaction().execute(async (trx) => {
    const { post, review } = await loadPost(trx, input.postId);
    if (post.author_id !== input.author.id) throw new UserError('forbidden', 'Only its author can edit a post.');
    if (!input.author.moderator) await checkPostRate(trx, input.author.id, ports.setup.rateLimit, now);
    const latest = await latestVersion(trx, post.id);
    const version = await insertVersion(trx, post, latest.number + 1, input.text, now);
    const outcome = requireTransition(factsOf(post, review), { kind: 'submit', versionId: version.id, actor: { isAuthor: true, isModerator: input.author.moderator } });
    // While nothing is visible, the post's title and kind are those of its latest version.
    const shown = VISIBLE.has(outcome.state) ? {} : { title: input.text.title, kind: input.text.kind };
    const updated = await writeOutcome(trx, post, outcome, { ...(input.author.name ? { author_name: input.author.name } : {}), ...shown }, now);
    const note = VISIBLE.has(post.state) ? undefined : latest.status === 'changes_requested' ? 'Resubmitted after a change request.' : latest.status === 'rejected' ? 'Resubmitted after a rejection.' : undefined;
    await queueCard(trx, ports, updated, version, now, 'submitted', note);
    return { post: updated, version, position: await queuePosition(trx, version) };
  });
  after(ports, result, now);
  return result;
}

function after(ports: PostPorts, s: Submitted, now: number): void {
  ports.outbox.kick();
  ports.activity.record({ userId: s.post.author_id, kind: 'post_submitted', at: now, ref: `post:${s.post.id}` });
  ports.logger.info({ postId: s.post.id, versionId: s.version.id, number: s.version.number, authorId: s.post.author_id }, 'post submitted for review');
}
