import { parameterInvalid, referencedMissing } from './errors.ts';
import { str, type FormObject } from './form.ts';

export interface ApiListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export function parseLimit(query: FormObject): number {
  const raw = str(query.limit);
  if (raw === undefined || raw === '') return 10;
  const limit = Number(raw);
  if (!Number.isInteger(limit)) throw parameterInvalid('limit', `Invalid integer: ${raw}`);
  if (limit < 1 || limit > 100) throw parameterInvalid('limit', 'This value must be greater than or equal to 1 and less than or equal to 100.');
  return limit;
}

interface OrderedView<T> {
  newestFirst: T[];
  position: Map<string, number>;
}

// Lists are read page after page (reconciliation walks 100k subscriptions), so the newest-first
// order and the id->position index are built once per collection size, not once per page.
// Collections only grow, so an unchanged size means an unchanged order.
const views = new WeakMap<Map<string, unknown>, OrderedView<unknown> & { size: number }>();

function viewOf<T extends { id: string }>(map: Map<string, T>): OrderedView<T> {
  const cached = views.get(map);
  if (cached && cached.size === map.size) return cached as unknown as OrderedView<T>;
  const newestFirst = [...map.values()].reverse();
  const position = new Map(newestFirst.map((item, i) => [item.id, i]));
  views.set(map, { newestFirst, position, size: map.size });
  return { newestFirst, position };
}

/**
 * Cursor pagination over a collection, as Stripe pages: newest first; `starting_after` moves towards
 * older objects, `ending_before` towards newer ones, and both keep newest-first order in `data`.
 */
export function paginate<T extends { id: string }>(map: Map<string, T>, keep: (item: T) => boolean, query: FormObject, url: string, kind: string): ApiListPage<T> {
  const limit = parseLimit(query);
  const after = str(query.starting_after);
  const before = str(query.ending_before);
  if (after && before) throw parameterInvalid('ending_before', 'You may only specify one of these parameters: ending_before, starting_after.');
  const { newestFirst, position } = viewOf(map);
  const cursor = after ?? before;
  const at = cursor === undefined ? -1 : position.get(cursor);
  if (at === undefined) throw referencedMissing(kind, cursor ?? '', after ? 'starting_after' : 'ending_before');
  const found: T[] = [];
  const step = before ? -1 : 1;
  for (let i = at + step; i >= 0 && i < newestFirst.length && found.length <= limit; i += step) {
    const item = newestFirst[i] as T;
    if (keep(item)) found.push(item);
  }
  const data = found.slice(0, limit);
  return { object: 'list', data: before ? data.reverse() : data, has_more: found.length > limit, url };
}

/** Stripe's range filter: `created=123` or `created[gt|gte|lt|lte]=123`. */
export function matchesCreated(created: number, filter: FormObject[string] | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'string') return filter === '' || created === Number(filter);
  if (Array.isArray(filter)) return true;
  const bound = (k: string): number | undefined => (typeof filter[k] === 'string' ? Number(filter[k]) : undefined);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte);
}
