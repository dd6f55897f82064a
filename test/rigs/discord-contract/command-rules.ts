// Application-command rules that Discord enforces but its OpenAPI description does not express.
// A violation here is a deploy that Discord would reject with 50035 Invalid Form Body.
// Source: https://discord.com/developers/docs/interactions/application-commands (naming, limits).

/** Discord's documented rule for CHAT_INPUT command names and all option names (unicode flag). */
export const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const LIST_OPERATIONS = new Set(['bulk_set_application_commands', 'bulk_set_guild_application_commands']);
const ONE_OPERATIONS = new Set(['create_application_command', 'create_guild_application_command']);
const PATCH_OPERATIONS = new Set(['update_application_command', 'update_guild_application_command']);

const CHAT_INPUT = 1;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Extra errors (without the 'METHOD /route: ' prefix) for command bodies; [] for other operations. */
export function commandRuleErrors(operationId: string, body: unknown): string[] {
  const errors: string[] = [];
  if (LIST_OPERATIONS.has(operationId) && Array.isArray(body)) {
    body.forEach((cmd, i) => checkCommand(cmd, `body/${i}`, false, errors));
    // Names are unique per command type within one application (or guild).
    const keyed = body.filter(isObj).map((c) => `${String(c['type'] ?? CHAT_INPUT)}:${String(c['name'])}`);
    duplicates(keyed).forEach((k) => errors.push(`body has two commands named "${k.split(':').slice(1).join(':')}" of type ${k.split(':')[0]}`));
  } else if (ONE_OPERATIONS.has(operationId) || PATCH_OPERATIONS.has(operationId)) {
    checkCommand(body, 'body', PATCH_OPERATIONS.has(operationId), errors);
  }
  return errors;
}

function checkCommand(cmd: unknown, at: string, partial: boolean, errors: string[]): void {
  if (!isObj(cmd)) return; // the schema reports shape errors
  // USER and MESSAGE commands may be mixed case and contain spaces; the schema checks their length.
  if ((cmd['type'] ?? CHAT_INPUT) !== CHAT_INPUT) return;
  if (!partial || cmd['name'] !== undefined) checkName(cmd['name'], `${at}/name`, errors);
  if (!partial || cmd['description'] !== undefined) checkDescription(cmd['description'], `${at}/description`, errors);
  checkLocalizations(cmd, at, errors);
  checkOptions(cmd['options'], `${at}/options`, errors);
}

function checkOptions(options: unknown, at: string, errors: string[]): void {
  if (!Array.isArray(options)) return;
  if (options.length > MAX_OPTIONS) errors.push(`${at} has ${options.length} options; Discord allows at most ${MAX_OPTIONS}`);
  duplicates(options.filter(isObj).map((o) => String(o['name']))).forEach((n) => errors.push(`${at} has two options named "${n}"`));
  let optionalSeen = false;
  options.forEach((opt, i) => {
    if (!isObj(opt)) return;
    const here = `${at}/${i}`;
    checkName(opt['name'], `${here}/name`, errors);
    checkDescription(opt['description'], `${here}/description`, errors);
    checkLocalizations(opt, here, errors);
    const nested = opt['type'] === SUB_COMMAND || opt['type'] === SUB_COMMAND_GROUP;
    if (nested) return checkOptions(opt['options'], `${here}/options`, errors);
    if (opt['required'] === true && optionalSeen) errors.push(`${here} is required but follows an optional option; Discord wants required options first`);
    if (opt['required'] !== true) optionalSeen = true;
    const choices = opt['choices'];
    if (Array.isArray(choices) && choices.length > MAX_CHOICES) errors.push(`${here}/choices has ${choices.length} choices; Discord allows at most ${MAX_CHOICES}`);
  });
}

function checkName(name: unknown, at: string, errors: string[]): void {
  if (typeof name !== 'string') {
    errors.push(`${at} is required (a string)`);
  } else if (!COMMAND_NAME.test(name)) {
    errors.push(`${at} ${JSON.stringify(name)} must be 1-32 letters, digits, '-', '_' or "'" (no spaces): ${COMMAND_NAME.source}`);
  } else if (name !== name.toLowerCase()) {
    errors.push(`${at} ${JSON.stringify(name)} must be lowercase (chat-input command and option names are)`);
  }
}

function checkDescription(description: unknown, at: string, errors: string[]): void {
  const length = typeof description === 'string' ? [...description].length : 0;
  if (length < 1 || length > 100) errors.push(`${at} must be 1-100 characters for chat-input commands and options (got ${length})`);
}

function checkLocalizations(target: Obj, at: string, errors: string[]): void {
  const names = target['name_localizations'];
  if (isObj(names)) for (const [locale, n] of Object.entries(names)) checkName(n, `${at}/name_localizations/${locale}`, errors);
  const descriptions = target['description_localizations'];
  if (isObj(descriptions)) {
    for (const [locale, d] of Object.entries(descriptions)) checkDescription(d, `${at}/description_localizations/${locale}`, errors);
  }
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
