// Reads Discord's OpenAPI document and prepares it for request validation. Three adjustments,
// each for a reason the spec cannot express itself:
// 1. Request-body schemas are expanded into plain trees (no $ref, no shared objects). openapi-backend
//    "decycles" every schema it compiles, turning each *shared* sub-object into a $ref to its first
//    occurrence; ajv then reports errors inside anyOf/oneOf branches under another branch's
//    schemaPath, and the union errors cannot be explained. Request bodies are acyclic (the only cycle
//    in the spec, ErrorDetails, is in responses) and the largest tree is ~190 KB, so this is cheap.
// 2. Bit-set fields (permissions, allow, deny, default_member_permissions) also accept decimal
//    strings: Discord documents them as "serialized as strings" and discord.js sends them so, while
//    the spec types them integer. This is targeted on purpose: ajv's coerceTypes on bodies would
//    also turn a wrong `title: 5` into "5" and hide real bugs.
// 3. Fixed-field objects in request bodies reject camelCase keys. Discord silently ignores unknown
//    fields, so `allowedMentions` in a raw body would ping everyone unnoticed. Every field in the
//    spec is snake_case. We do not reject *all* unknown fields: the spec is a preview and misses
//    fields discord.js sends and Discord accepts (enforce_nonce on interaction replies, nsfw and
//    default_permission on commands), so additionalProperties: false gave false positives.
import { readFileSync } from 'node:fs';
import type { AjvCustomizer } from 'openapi-backend';

type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

const BITSET_FIELDS = new Set(['permissions', 'allow', 'deny', 'default_member_permissions']);
/** The media type openapi-backend builds its body validator from (validation.js, same order). */
const BODY_MEDIA_TYPES = ['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'];
const REF_PREFIX = '#/components/schemas/';
/** No uppercase letter: what every Discord field name satisfies and a leaked camelCase option name does not. */
const SNAKE_CASE = '^[^A-Z]*$';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readDiscordDefinition(file: URL): JsonObject {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  const components = doc['components'];
  const schemas = isObject(components) && isObject(components['schemas']) ? components['schemas'] : {};
  for (const item of Object.values(isObject(doc['paths']) ? doc['paths'] : {})) {
    if (!isObject(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      if (key === 'parameters' || !isObject(op) || !isObject(op['requestBody'])) continue;
      const content = op['requestBody']['content'];
      const mediaType = BODY_MEDIA_TYPES.find((t) => isObject(content) && isObject(content[t]));
      const media = mediaType && isObject(content) ? content[mediaType] : undefined;
      if (!isObject(media) || !isObject(media['schema'])) continue;
      const tree = expand(media['schema'], schemas, new Set());
      tighten(tree);
      media['schema'] = tree;
    }
  }
  return doc;
}

/** Inlines component $refs as fresh copies; a ref already on the stack (a cycle) is left for openapi-backend. */
function expand(node: Json, schemas: JsonObject, stack: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => expand(n, schemas, stack));
  if (!isObject(node)) return node;
  const ref = node['$ref'];
  if (typeof ref === 'string' && ref.startsWith(REF_PREFIX) && !stack.has(ref)) {
    const target = schemas[ref.slice(REF_PREFIX.length)];
    if (target === undefined) return node;
    stack.add(ref);
    const { $ref: _ref, ...siblings } = node;
    const out = { ...(expand(target, schemas, stack) as JsonObject), ...(expand(siblings, schemas, stack) as JsonObject) };
    stack.delete(ref);
    return out;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = expand(v, schemas, stack);
  return out;
}

function tighten(node: Json): void {
  if (Array.isArray(node)) return node.forEach(tighten);
  if (!isObject(node)) return;
  const props = node['properties'];
  if (isObject(props)) {
    if (!('propertyNames' in node)) node['propertyNames'] = { pattern: SNAKE_CASE };
    for (const [name, prop] of Object.entries(props)) if (BITSET_FIELDS.has(name) && isObject(prop)) widenBitset(prop);
  }
  for (const v of Object.values(node)) tighten(v);
}

function widenBitset(prop: JsonObject): void {
  const type = prop['type'] ?? null;
  const types: Json[] = Array.isArray(type) ? type : [type];
  if (!types.includes('integer') || types.includes('string')) return;
  prop['type'] = [...types, 'string'];
  prop['pattern'] = '^[0-9]{1,20}$'; // applies to the string form only
}

const SNOWFLAKE = /^(0|[1-9][0-9]{0,19})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Registers every format the spec uses, so none is silently ignored: snowflake, int32, int64 and
 * double as asked, plus uri, date-time and nonce (openapi-backend ships no ajv-formats).
 */
export const addDiscordFormats: AjvCustomizer = (ajv) => {
  ajv.addFormat('snowflake', { type: 'string', validate: (s: string) => SNOWFLAKE.test(s) && BigInt(s) < 2n ** 64n });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 63) && n <= 2 ** 63 });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
  // Discord's nonce is any string of at most 25 characters; the schema's maxLength says that already.
  ajv.addFormat('nonce', { type: 'string', validate: () => true });
  return ajv;
};
