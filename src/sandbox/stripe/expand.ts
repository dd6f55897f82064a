import { StripeApiError } from './errors.ts';
import { clone } from './store.ts';

type Node = Record<string, unknown>;
type Finder = (id: string) => { id: string; object: string } | undefined;

function cannotExpand(path: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message: `This property cannot be expanded (${path}).`, param: 'expand' });
}

function walk(node: unknown, segments: string[], full: string, find: Finder): void {
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const element of node) walk(element, segments, full, find);
    return;
  }
  if (typeof node !== 'object') throw cannotExpand(full);
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const holder = node as Node;
  if (!(head in holder)) throw cannotExpand(full);
  const value = holder[head];
  if (rest.length > 0) {
    walk(value, rest, full, find);
    return;
  }
  if (typeof value === 'string') {
    // Only references are expandable: an id-shaped value in a field other than the object's own id.
    if (head === 'id' || !/^[a-z]+_[A-Za-z0-9_]+$/.test(value)) throw cannotExpand(full);
    const found = find(value);
    // Ids of objects the emulator does not model (payment methods, balance transactions) stay ids.
    if (found) holder[head] = clone(found);
    return;
  }
  if (value !== null && typeof value !== 'object') throw cannotExpand(full);
}

/** Applies `expand[]` the way Stripe does: dotted paths, `data.` for lists, at most four levels deep. */
export function applyExpand<T>(value: T, paths: string[], find: Finder): T {
  if (paths.length === 0) return value;
  const out = clone(value);
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > 4) throw cannotExpand(path);
    walk(out, segments, path, find);
  }
  return out;
}
