import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Ids are drawn from a pooled buffer: seeding 100k subscriptions needs ~400k ids, and one
// randomBytes call per id dominated that time.
let pool = Buffer.alloc(0);
let offset = 0;

function randomChars(length: number): string {
  if (offset + length > pool.length) {
    pool = randomBytes(64 * 1024);
    offset = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(pool[offset + i] ?? 0) % ALPHABET.length];
  offset += length;
  return out;
}

/** Ids look like Stripe's (`sub_1Pgc6r…`, 24 chars after the prefix) so code that sniffs prefixes behaves as in production. */
export function newId(prefix: string): string {
  return `${prefix}_${randomChars(24)}`;
}

/** Checkout Session ids are longer and carry the mode marker (`cs_test_…`). */
export function newCheckoutSessionId(): string {
  return `cs_test_${randomChars(58)}`;
}

export function newRequestId(): string {
  return `req_${randomChars(14)}`;
}
