/**
 * The closed set of expected failures a member can meet. Features throw `UserError`; the
 * dispatcher is the one place that turns it into words (see `memberMessage`).
 */
export type UserErrorCode =
  | 'forbidden' // the caller lacks the permission or tier
  | 'invalid_input' // the caller typed something we cannot use
  | 'not_found' // the thing they named does not exist (any more)
  | 'conflict' // someone else got there first, or it is already done
  | 'rate_limited' // too many tries; `detail` says when to retry
  | 'expired' // a button or form whose state is gone
  | 'wrong_place' // used outside the community server or the right channel
  | 'unavailable'; // a dependency (Stripe, Discord) is down; retry later

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    /** Extra member-facing words: what exactly was wrong and what to do next. */
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'UserError';
  }
}

const HEADLINES: Record<UserErrorCode, string> = {
  forbidden: "You don't have permission to do that.",
  invalid_input: "That input didn't work.",
  not_found: "I couldn't find that.",
  conflict: 'That was already handled.',
  rate_limited: "You're doing that too often.",
  expired: 'This has expired. Run the command again to get a fresh one.',
  wrong_place: "That doesn't work here.",
  unavailable: 'A service I depend on is not answering right now. Please try again in a few minutes.',
};

export function memberMessage(error: UserError): string {
  return error.detail ? `${HEADLINES[error.code]} ${error.detail}` : HEADLINES[error.code];
}

export function unexpectedMessage(ref: string): string {
  return `Something went wrong on my side (ref ${ref}). The moderators can look it up with that ref; please try again later.`;
}

export const STALE_COMMAND_MESSAGE =
  "That command no longer exists here: Discord may still be showing an old command list. It refreshes within a minute; try again then, or use /help to see what's available.";
