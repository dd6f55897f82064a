// Discord contract rig (GUIDE.md section 3, rig 1): validates every REST request discord.js sends
// against Discord's OpenAPI description, read from beside the repo (never copied into it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import { commandRuleErrors } from './discord-contract/command-rules.js';
import { addDiscordFormats, readDiscordDefinition } from './discord-contract/definition.js';
import { describe, reduceErrors } from './discord-contract/explain.js';
import type { ContractRecorder, ContractRequest, ContractVerdict, DiscordContract, RecordedRequest } from './discord-contract/types.js';

export { captureRequest, contractMakeRequest, type MakeRequest, type RigReply, type RigResponder } from './discord-contract/capture.js';
export type { CapturedFile, ContractRecorder, ContractRequest, ContractVerdict, DiscordContract, RecordedRequest } from './discord-contract/types.js';

const SPEC_URL = new URL('../../../shared/discord-api-spec/openapi.json', import.meta.url);
/** Absolute path of the spec, for skip and error messages. */
export const discordSpecPath = fileURLToPath(SPEC_URL);

export function discordContractAvailable(): boolean {
  return existsSync(SPEC_URL);
}

let cached: Promise<DiscordContract> | undefined;

/** Loads and prepares the 1.2 MB spec once per process; validators compile lazily per operation. */
export function loadDiscordContract(): Promise<DiscordContract> {
  cached ??= build().catch((err: unknown) => {
    cached = undefined; // let a later call retry instead of caching the failure
    throw err;
  });
  return cached;
}

async function build(): Promise<DiscordContract> {
  if (!discordContractAvailable()) {
    throw new Error(
      `Discord's OpenAPI spec was not found at ${discordSpecPath}. CI checks out discord-api-spec beside the repo ` +
        '(see README "Tests"); guard tests that need it with describe.skipIf(!discordContractAvailable()).',
    );
  }
  const api = new OpenAPIBackend({
    definition: readDiscordDefinition(SPEC_URL) as unknown as Document,
    quick: true, // skips validating the whole 1.2 MB document and compiles validators per operation on first use
    validate: true,
    strict: true, // a definition that fails to dereference should throw, not just console.warn
    // No coerceTypes here on purpose: openapi-backend already coerces path and query parameters (they
    // are strings on the wire), and coercing bodies would turn `title: 5` into "5" and hide real bugs.
    // The permission-bits-as-strings quirk is handled in definition.ts instead.
    // allErrors + verbose give every complaint with the offending value; optimize: false skips ajv's
    // code-optimisation pass, which is most of the compile time on these huge schemas (about 3x).
    ajvOpts: { allErrors: true, verbose: true, strict: false, code: { optimize: false } },
    customizeAjv: addDiscordFormats,
  });
  await api.init();
  // Security (Authorization) is never checked: we call matchOperation/validateRequest directly, and
  // only handleRequest runs security handlers. Interaction callbacks are `security: []` anyway.
  return { validate: (req) => validate(api, req) };
}

function validate(api: OpenAPIBackend, req: ContractRequest): ContractVerdict {
  const method = req.method.toUpperCase();
  const target = normalizeTarget(req);
  if (typeof target === 'string') return { ok: false, errors: [`${method} ${req.path}: ${target}`], reason: 'bad-path' };
  const operation = api.matchOperation({ method, path: target.path, headers: {} });
  if (operation === undefined) {
    const routes = api.getOperations().filter((op) => templateMatches(op.path, target.path));
    if (routes.length === 0) {
      return { ok: false, errors: [`${method} ${target.path}: no route in Discord's OpenAPI spec matches this path`], reason: 'no-route' };
    }
    const offered = routes.map((op) => `${op.method.toUpperCase()} ${op.path}`).join(', ');
    return { ok: false, errors: [`${method} ${target.path}: Discord has no ${method} here (it has ${offered})`], reason: 'method-not-allowed' };
  }
  const label = `${method} ${operation.path}`;
  const hasBody = req.body !== undefined;
  const errors: string[] = [];
  if (hasBody && !operation.requestBody) errors.push(`${label}: body was sent but this route takes none`);
  const result = api.validateRequest(
    { method, path: target.path, query: target.query, body: req.body as object, headers: hasBody ? { 'content-type': 'application/json' } : {} },
    operation,
  );
  errors.push(...reduceErrors(result.errors ?? []).map((e) => `${label}: ${describe(e)}`));
  errors.push(...commandRuleErrors(operation.operationId ?? '', req.body).map((e) => `${label}: ${e}`));
  return { ok: errors.length === 0, operationId: operation.operationId, errors, ...(errors.length ? { reason: 'invalid' as const } : {}) };
}

/** Same test as openapi-backend's router, used only to tell "no route" from "wrong method". */
function templateMatches(template: string, path: string): boolean {
  const pattern = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}/?$`).test(path);
}

/**
 * Accepts a full URL or a server path; drops the '/api/v10' (or v9) prefix and percent-decodes each
 * segment ('%40original' -> '@original'), keeping an encoded '/' encoded so it cannot split a segment.
 */
function normalizeTarget(req: ContractRequest): { path: string; query: Record<string, string | string[]> } | string {
  const url = new URL(req.path, 'https://discord.com');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? (all[0] as string) : all;
  }
  Object.assign(query, req.query);
  try {
    const segments = url.pathname.replace(/^\/api\/v(?:9|10)(?=\/|$)/, '').split('/');
    const path = segments.map((s) => (decodeURIComponent(s).includes('/') ? s : decodeURIComponent(s))).join('/');
    return { path: path || '/', query };
  } catch {
    return 'the path is not valid percent-encoding';
  }
}

/** Collects verdicts for a test and fails loudly at the end with every bad request listed. */
export function createContractRecorder(contract: DiscordContract): ContractRecorder {
  const requests: RecordedRequest[] = [];
  return {
    requests,
    get violations() {
      return requests.filter((r) => !r.verdict.ok);
    },
    record(req) {
      const verdict = contract.validate(req);
      requests.push({ req, verdict });
      return verdict;
    },
    assertClean() {
      const bad = requests.filter((r) => !r.verdict.ok);
      if (bad.length === 0) return;
      const lines = bad.flatMap(({ req, verdict }, i) => [`${i + 1}. ${req.method.toUpperCase()} ${req.path}`, ...verdict.errors.map((e) => `     ${e}`)]);
      throw new Error(
        `Discord contract: ${bad.length} of ${requests.length} requests do not match Discord's OpenAPI spec ` +
          `(${discordSpecPath}). Discord would reject them (or silently ignore fields):\n${lines.join('\n')}`,
      );
    },
  };
}
