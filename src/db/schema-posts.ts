// Tables for member posts, versions, review decisions (issue 6); merged into Database in schema.ts.
import type { ColumnType, Generated } from 'kysely';

export type PostKind = 'article' | 'tutorial' | 'code' | 'career' | 'other';

/**
 * pending / changes_requested / rejected: never visible. approved: decided, its Discord message not
 * posted yet. published: visible now. unpublished: taken down by its author or a moderator.
 */
export type PostState = 'pending' | 'changes_requested' | 'rejected' | 'approved' | 'published' | 'unpublished';

export type VersionStatus = 'pending' | 'changes_requested' | 'approved' | 'rejected' | 'superseded' | 'withdrawn';

export type DecisionAction = 'approve' | 'reject' | 'request_changes' | 'unpublish' | 'reverse';

export interface PostTables {
  posts: PostsTable;
  post_versions: PostVersionsTable;
  post_decisions: PostDecisionsTable;
}

export interface PostsTable {
  id: Generated<number>;
  author_id: string;
  /** The author's display name when they last submitted: credits a member who has left. */
  author_name: string;
  /** Of the published version once there is one, else of the latest version. */
  kind: PostKind;
  title: string;
  /** The minimum tier that sees it; null = all members. */
  audience_tier: string | null;
  state: PostState;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  published_channel_id: string | null;
  published_message_id: string | null;
  /** Bumped by every state change; writes are guarded on the revision they read. */
  revision: ColumnType<number, number | undefined, number>;
  review_version_id: number | null;
  published_version_id: number | null;
  points_ref: string | null;
  /** 1 while the Discord message must be posted, edited or deleted to match the state. */
  sync_due: ColumnType<number, number | undefined, number>;
  synced_version_id: number | null;
  publish_seq: ColumnType<number, number | undefined, number>;
}

/** Every text a member submitted for a post; the text is kept because moderators review it. */
export interface PostVersionsTable {
  id: Generated<number>;
  post_id: number;
  author_id: string;
  /** 1, 2, ... per post. */
  number: number;
  title: string;
  body: string;
  link: string | null;
  kind: PostKind;
  status: VersionStatus;
  submitted_at: number;
  /** When a moderator decided it (review time = decided_at - submitted_at). */
  decided_at: number | null;
}

/** The audit trail: every decision, unpublish and reversal, with who, when and why. */
export interface PostDecisionsTable {
  id: Generated<number>;
  post_id: number;
  version_id: number;
  actor_id: string;
  action: DecisionAction;
  reason: string | null;
  at: number;
  /** For a reversal: the decision it undid. */
  reverses_id: number | null;
  /** For an undone decision: its reversal. */
  reversed_by_id: number | null;
}
