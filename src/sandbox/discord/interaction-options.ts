// Application command options and their `resolved` data, typed from the registered command when known.
import { rawMember } from './payloads.ts';
import type { EmulatorState } from './state.ts';
import type { RawObject } from './types.ts';

export interface Resolved {
  users?: Record<string, RawObject>;
  members?: Record<string, RawObject>;
  roles?: Record<string, RawObject>;
  channels?: Record<string, RawObject>;
  messages?: Record<string, RawObject>;
}

const OptionType = { Sub: 1, Group: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Role: 8, Mentionable: 9, Number: 10 } as const;

/**
 * Options as Discord sends them. `input` is either raw API options (passed through) or a
 * `{ name: value }` object whose types come from the registered definition (`defs`), so tests can
 * write `{ member: '123' }` for a USER option. `focused` marks the option being autocompleted.
 */
export function buildOptions(
  state: EmulatorState,
  input: RawObject[] | Record<string, unknown> | undefined,
  defs: RawObject[] | undefined,
  resolved: Resolved,
  focused?: string,
): RawObject[] {
  if (input === undefined) return [];
  const options = Array.isArray(input) ? input : fromObject(input, defs, focused);
  collectResolved(state, options, resolved);
  return options;
}

function fromObject(input: Record<string, unknown>, defs: RawObject[] | undefined, focused?: string): RawObject[] {
  return Object.entries(input).map(([name, value]) => {
    const def = defs?.find((d) => d.name === name);
    const type = typeof def?.type === 'number' ? def.type : inferType(value);
    if (type === OptionType.Sub || type === OptionType.Group) {
      const nested = (value ?? {}) as Record<string, unknown>;
      return { name, type, options: fromObject(nested, def?.options as RawObject[] | undefined, focused) };
    }
    if (name === focused) return { name, type, value: String(value), focused: true };
    return { name, type, value: coerce(type, value) };
  });
}

function inferType(value: unknown): number {
  if (typeof value === 'boolean') return OptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
  if (value !== null && typeof value === 'object') return OptionType.Sub;
  return OptionType.String;
}

function coerce(type: number, value: unknown): unknown {
  if (type === OptionType.Integer || type === OptionType.Number) return Number(value);
  if (type === OptionType.Boolean) return value === true || value === 'true';
  return String(value);
}

function collectResolved(state: EmulatorState, options: RawObject[], resolved: Resolved): void {
  for (const o of options) {
    if (Array.isArray(o.options)) collectResolved(state, o.options as RawObject[], resolved);
    const id = String(o.value);
    if (o.type === OptionType.User) resolveUser(state, id, resolved);
    else if (o.type === OptionType.Role) resolveRole(state, id, resolved);
    else if (o.type === OptionType.Channel) resolveChannel(state, id, resolved);
    else if (o.type === OptionType.Mentionable) {
      if (state.roles.has(id)) resolveRole(state, id, resolved);
      else resolveUser(state, id, resolved);
    }
  }
}

export function resolveUser(state: EmulatorState, id: string, resolved: Resolved): void {
  const user = state.users.get(id);
  if (!user) throw new Error(`Discord emulator: unknown user ${id} in interaction options; add them as a member first`);
  (resolved.users ??= {})[id] = user;
  const member = state.member(id);
  if (member) {
    // Resolved members carry no `user` (it sits in resolved.users) but do carry permissions.
    const { user: _u, ...rest } = rawMember(member, { permissions: state.permissionsOf(id).toString() });
    (resolved.members ??= {})[id] = rest;
  }
}

export function resolveRole(state: EmulatorState, id: string, resolved: Resolved): void {
  const role = state.roles.get(id);
  if (!role) throw new Error(`Discord emulator: unknown role ${id} in interaction options`);
  (resolved.roles ??= {})[id] = role;
}

export function resolveChannel(state: EmulatorState, id: string, resolved: Resolved): void {
  const channel = state.channels.get(id);
  if (!channel) throw new Error(`Discord emulator: unknown channel ${id} in interaction options`);
  (resolved.channels ??= {})[id] = { ...channel, permissions: '0' };
}

/** Removes empty groups so `resolved` is omitted when nothing was resolved, as Discord does. */
export function finishResolved(resolved: Resolved): Resolved | undefined {
  return Object.keys(resolved).length ? resolved : undefined;
}
