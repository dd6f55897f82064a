// Application command registration: Discord's validation and bulk-overwrite semantics.
import { ApiError } from './http-util.ts';
import type { EmulatorState } from './state.ts';
import type { RawObject } from './types.ts';

const CHAT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type FieldErrors = Record<string, unknown>;

function err(code: string, message: string) {
  return { _errors: [{ code, message }] };
}

function validateName(name: unknown, chatInput: boolean): unknown {
  if (typeof name !== 'string' || name.length < 1 || name.length > 32) return err('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
  if (chatInput && (!CHAT_NAME.test(name) || name !== name.toLowerCase())) {
    return err('APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  return undefined;
}

function validateOptions(options: unknown): FieldErrors | undefined {
  if (options === undefined || options === null) return undefined;
  if (!Array.isArray(options) || options.length > 25) return { _errors: err('BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.')._errors };
  const errors: FieldErrors = {};
  let seenOptional = false;
  options.forEach((o: RawObject, i) => {
    const e: FieldErrors = {};
    const nameError = validateName(o.name, true);
    if (nameError) e.name = nameError;
    if (typeof o.description !== 'string' || o.description.length < 1 || o.description.length > 100) {
      e.description = err('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (Array.isArray(o.choices) && o.choices.length > 25) e.choices = err('BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    if (o.type !== 1 && o.type !== 2) {
      if (o.required === true && seenOptional) e.required = err('APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
      if (o.required !== true) seenOptional = true;
    }
    const nested = validateOptions(o.options);
    if (nested) e.options = nested;
    if (Object.keys(e).length) errors[i] = e;
  });
  return Object.keys(errors).length ? errors : undefined;
}

export function validateCommand(c: RawObject): FieldErrors | undefined {
  const type = typeof c.type === 'number' ? c.type : 1;
  const errors: FieldErrors = {};
  const nameError = validateName(c.name, type === 1);
  if (nameError) errors.name = nameError;
  if (type === 1 && (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 100)) {
    errors.description = err('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (type !== 1 && typeof c.description === 'string' && c.description !== '') {
    errors.description = err('APPLICATION_COMMAND_DESCRIPTION_INVALID', 'Context menu commands cannot have a description');
  }
  const options = validateOptions(c.options);
  if (options) errors.options = options;
  return Object.keys(errors).length ? errors : undefined;
}

/** PUT .../commands: the new set replaces the old; a command keeping its name and type keeps its id. */
export function bulkOverwrite(state: EmulatorState, existing: RawObject[], body: unknown, guildId: string | undefined): RawObject[] {
  if (!Array.isArray(body)) throw new ApiError(400, 50035, 'Invalid Form Body', { _errors: err('BASE_TYPE_BAD_TYPE', 'Must be an array.')._errors });
  const count = (t: number) => body.filter((c: RawObject) => (c.type ?? 1) === t).length;
  if (count(1) > 100 || count(2) > 15 || count(3) > 15) throw new ApiError(400, 30032, 'Maximum number of application commands reached (100)');
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  body.forEach((c: RawObject, i) => {
    const e = validateCommand(c) ?? {};
    const key = `${c.type ?? 1}:${String(c.name)}`;
    if (seen.has(key)) e.name = err('APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
    if (Object.keys(e).length) errors[i] = e;
  });
  if (Object.keys(errors).length) throw new ApiError(400, 50035, 'Invalid Form Body', errors);
  return body.map((c: RawObject) => toCommand(state, existing, c, guildId));
}

export function toCommand(state: EmulatorState, existing: RawObject[], c: RawObject, guildId: string | undefined): RawObject {
  const type = typeof c.type === 'number' ? c.type : 1;
  const previous = existing.find((e) => e.name === c.name && e.type === type);
  return {
    id: previous?.id ?? state.ids.next(),
    application_id: state.applicationId,
    version: state.ids.next(),
    default_member_permissions: c.default_member_permissions ?? null,
    type,
    name: c.name,
    name_localizations: c.name_localizations ?? null,
    description: type === 1 ? c.description : '',
    description_localizations: c.description_localizations ?? null,
    ...(guildId ? { guild_id: guildId } : { dm_permission: c.dm_permission ?? true, contexts: c.contexts ?? null }),
    ...(Array.isArray(c.options) && c.options.length ? { options: c.options } : {}),
    nsfw: c.nsfw === true,
    integration_types: c.integration_types ?? [0],
  };
}
