// Turns ajv's raw errors into short readable lines. The hard part is anyOf/oneOf: ajv reports every
// failing branch, so one wrong `type: 99` in an interaction callback yields ~60 errors. We keep the
// branch the value was evidently meant for (its discriminator matched, or it got furthest), or merge
// the discriminator's allowed values when no branch matched. Relies on exact schemaPaths, which
// definition.ts guarantees by expanding request bodies into trees.
import type { ValidationResult } from 'openapi-backend';

export type AjvError = NonNullable<ValidationResult['errors']>[number];

/** SnowflakeType's pattern in the spec; its raw regex makes a poor message. */
const SNOWFLAKE_PATTERN = '^(0|[1-9][0-9]*)$';

const isUnion = (e: AjvError) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
const isTag = (e: AjvError) => e.keyword === 'enum' || e.keyword === 'const';
const inside = (e: AjvError, union: AjvError) => e.schemaPath.startsWith(`${union.schemaPath}/`);
const depth = (pointer: string) => pointer.split('/').length;
const allowedOf = (e: AjvError): unknown[] =>
  e.keyword === 'const' ? [e.params['allowedValue']] : ((e.params['allowedValues'] as unknown[] | undefined) ?? []);

export function reduceErrors(errors: readonly AjvError[]): AjvError[] {
  const unions = errors.filter(isUnion);
  const outer = unions.filter((u) => !unions.some((o) => o !== u && inside(u, o)));
  const out = errors.filter((e) => !outer.some((u) => e === u || inside(e, u)));
  for (const union of outer) out.push(...explainUnion(union, errors.filter((e) => inside(e, union))));
  return dedupe(out);
}

function explainUnion(union: AjvError, members: AjvError[]): AjvError[] {
  // oneOf that matched several branches: nothing to pick from, ajv's own message says it.
  if (union.keyword === 'oneOf' && union.params['passingSchemas'] != null) return [union];
  const byBranch = new Map<string, AjvError[]>();
  for (const e of members) {
    const branch = e.schemaPath.slice(union.schemaPath.length + 1).split('/')[0] ?? '';
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
  }
  const branches = [...byBranch.values()].map(reduceErrors);
  if (branches.length === 0) return [union];
  // Discriminator: a direct child (e.g. /type) that fails enum/const in some branches.
  const tagged = (b: AjvError[]) => b.filter((e) => isTag(e) && depth(e.instancePath) === depth(union.instancePath) + 1);
  const untagged = branches.filter((b) => tagged(b).length === 0);
  if (untagged.length === 0) {
    const tagPath = tagged(branches[0] ?? [])[0]?.instancePath;
    if (tagPath !== undefined && branches.every((b) => tagged(b).some((e) => e.instancePath === tagPath))) {
      const allowed = [...new Set(branches.flatMap((b) => tagged(b).filter((e) => e.instancePath === tagPath).flatMap(allowedOf)))];
      const sample = tagged(branches[0] ?? [])[0] as AjvError;
      return [{ ...sample, keyword: 'enum', params: { allowedValues: allowed.sort(compare) } }];
    }
  }
  const candidates = untagged.length > 0 ? untagged : branches;
  // Every branch rejected the value itself for the same kind of reason: merge into one line, e.g.
  // `allowed_mentions: 5` (null | object) or `parse: ['nobody']` ("users" | "roles" | "everyone").
  const atUnion = candidates.flat().filter((e) => e.instancePath === union.instancePath);
  const first = atUnion[0];
  if (first && atUnion.length === candidates.flat().length) {
    if (atUnion.every((e) => e.keyword === 'type')) return [{ ...first, params: { type: [...new Set(atUnion.flatMap(typesOf))] } }];
    if (atUnion.every(isTag)) return [{ ...first, keyword: 'enum', params: { allowedValues: [...new Set(atUnion.flatMap(allowedOf))] } }];
  }
  // How far a branch got: a type mismatch at a path means it never applied there, any other error
  // (missing or misnamed field, bad value) means it matched the shape and is probably the one meant.
  const progress = (b: AjvError[]) => Math.max(...b.map((e) => depth(e.instancePath) + (e.keyword === 'type' ? 0 : 0.5)));
  const best = [...candidates].sort((a, b) => progress(b) - progress(a) || a.length - b.length)[0];
  return best ?? [union];
}

function compare(a: unknown, b: unknown): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

function typesOf(e: AjvError): string[] {
  const t = e.params['type'] as string | string[];
  return Array.isArray(t) ? t : String(t).split(',');
}

function dedupe(input: AjvError[]): AjvError[] {
  // propertyNames reports the inner pattern failure and then itself; the latter says it all.
  const errors = input.filter((e) => e.propertyName === undefined || e.keyword === 'propertyNames');
  // SnowflakeType has both a pattern and format 'snowflake': one complaint per value is enough.
  const flagged = new Set(errors.filter((e) => e.keyword !== 'format').map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword === 'format' && flagged.has(e.instancePath)) return false;
    const key = `${e.instancePath}|${describe(e)}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Where the value lives, in the words of a request: body/embeds/0/title, path/role_id, query/limit. */
function where(pointer: string): string {
  if (pointer === '' || pointer === '/requestBody') return 'body';
  return pointer.replace(/^\/requestBody\//, 'body/').replace(/^\//, '');
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return `${kind} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

export function describe(e: AjvError): string {
  const at = where(e.instancePath);
  const got = 'data' in e ? ` (got ${shown(e.data)})` : '';
  switch (e.keyword) {
    case 'type':
      return `${at} must be ${typesOf(e).join(' or ')}${got}`;
    case 'enum':
    case 'const':
      return `${at} must be ${allowedOf(e).length === 1 ? '' : 'one of '}${allowedOf(e).map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'required': {
      const missing = String(e.params['missingProperty']);
      if (e.instancePath === '' && missing === 'requestBody') return 'body is required but none was sent';
      return `${at} is missing required property '${missing}'`;
    }
    case 'additionalProperties':
      return `${at}/${String(e.params['additionalProperty'])} is not a ${e.instancePath.startsWith('/query') ? 'query parameter' : 'field'} of this route`;
    case 'propertyNames': {
      const name = String(e.params['propertyName']);
      const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      return `${at}/${name} is camelCase; Discord's fields are snake_case and it silently ignores unknown ones (did you mean ${snake}?)`;
    }
    case 'pattern':
      if (e.params['pattern'] === SNOWFLAKE_PATTERN) return `${at} must be a snowflake (a decimal id string)${got}`;
      return `${at} ${e.message ?? e.keyword}${got}`;
    default:
      return `${at} ${e.message ?? e.keyword}${got}`;
  }
}
