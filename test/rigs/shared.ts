import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * `../shared` sits beside the repository in CI and on maintainers' machines, never inside it:
 * its files are licensed third-party material we read but do not commit. A user's clone lacks it,
 * so tests that need it skip with one clear line instead of failing.
 */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const sharedDir = path.resolve(repoRoot, '..', 'shared');

/** Absolute path of `../shared/<rel>`, or undefined when it is absent. */
export function sharedFile(rel: string): string | undefined {
  const file = path.join(sharedDir, rel);
  return existsSync(file) ? file : undefined;
}

const announced = new Set<string>();

export function sharedMissingMessage(rel: string): string {
  return `skipped: ../shared/${rel} not found (it sits beside the repo in CI; see README "Tests")`;
}

/** Like `describe`, but skipped (with one console line per missing file) when `../shared/<rel>` is absent. */
export function describeWithShared(name: string, rel: string, fn: () => void): void {
  const missing = sharedFile(rel) === undefined;
  if (missing && !announced.has(rel)) {
    announced.add(rel);
    console.warn(sharedMissingMessage(rel));
  }
  describe.skipIf(missing)(name, fn);
}
