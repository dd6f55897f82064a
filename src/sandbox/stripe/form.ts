import { parameterInvalid } from './errors.ts';

/**
 * Decodes Stripe's bracketed form encoding (`line_items[0][price]=…&metadata[k]=v&expand[]=x`)
 * into nested objects and arrays, the way Stripe's API reads what stripe-node sends.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first < 0) return [key];
  const parts = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key.slice(first))) !== null) parts.push(m[1] ?? '');
  return parts;
}

function assign(target: FormObject | FormValue[], path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const isArray = Array.isArray(target);
  const index = head === '' && isArray ? target.length : head;
  if (rest.length === 0) {
    (target as Record<string, FormValue>)[index] = value;
    return;
  }
  const wantsArray = rest[0] === '' || /^\d+$/.test(rest[0] ?? '');
  const container = target as Record<string, FormValue>;
  let next = container[index];
  if (next === undefined || typeof next === 'string') {
    next = wantsArray ? [] : {};
    container[index] = next;
  }
  assign(next as FormObject | FormValue[], rest, value);
}

export function decodeForm(raw: string): FormObject {
  const out: FormObject = {};
  if (!raw) return out;
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    assign(out, splitKey(key), value);
  }
  return compactArrays(out) as FormObject;
}

// Indexed keys may skip numbers (`a[0]`, `a[2]`); Stripe treats them as a dense list.
function compactArrays(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactArrays);
  const out: FormObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = compactArrays(v);
  return out;
}

export function str(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function obj(value: FormValue | undefined): FormObject | undefined {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export function list(value: FormValue | undefined): FormValue[] {
  if (Array.isArray(value)) return value;
  // `a[0]` arrives as an array, but a map keyed "0","1" can too when indexes are sparse.
  const o = obj(value);
  return o ? Object.values(o) : [];
}

export function bool(value: FormValue | undefined): boolean | undefined {
  const s = str(value);
  return s === undefined ? undefined : s === 'true';
}

/** Metadata: values become strings, and an empty value unsets the key, as on Stripe. */
export function mergeMetadata(current: Record<string, string>, patch: FormValue | undefined): Record<string, string> {
  if (patch === '') return {};
  const o = obj(patch);
  if (!o) return current;
  const next = { ...current };
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string') continue;
    if (v === '') delete next[k];
    else next[k] = v;
  }
  return next;
}

/** Stripe's metadata limits (50 keys, 40-char keys, 500-char values) are enforced, so a bot that breaks them fails here first. */
export function metadataParam(value: FormValue | undefined, param: string): Record<string, string> {
  const merged = mergeMetadata({}, value);
  const keys = Object.keys(merged);
  if (keys.length > 50) throw parameterInvalid(param, 'Metadata can have up to 50 keys.');
  for (const key of keys) {
    if (key.length > 40) throw parameterInvalid(`${param}[${key}]`, 'Metadata keys can be at most 40 characters long.');
    if ((merged[key] ?? '').length > 500) throw parameterInvalid(`${param}[${key}]`, 'Metadata values can be at most 500 characters long.');
  }
  return merged;
}
