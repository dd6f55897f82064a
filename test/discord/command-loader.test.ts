import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRegistry, CommandLoadError, loadCommands } from '../../src/discord/command-loader.ts';

const fixtures = (name: string) => path.resolve(import.meta.dirname, '../fixtures/commands', name);

describe('command loader', () => {
  it('loads the real commands/ folder', async () => {
    const registry = await loadCommands();
    expect([...registry.commands.keys()]).toEqual(expect.arrayContaining(['about', 'help']));
    expect(registry.components.has('help')).toBe(true);
  });

  it.each([
    ['no-default', /commands\/x\.ts: has no default export/],
    ['no-execute', /commands\/noexec\.ts: "execute" is missing/],
    ['bad-name', /"Bad Name" is not a valid name/],
    ['duplicate', /a command named "same" is already defined/],
  ])('rejects a malformed module (%s) with a clear error', async (dir, message) => {
    const load = loadCommands(fixtures(dir));
    await expect(load).rejects.toBeInstanceOf(CommandLoadError);
    await expect(load).rejects.toThrow(message);
  });

  it('rejects a bad component prefix and a prefix used twice', () => {
    const command = (name: string, prefix: string) => ({
      file: `${name}.ts`,
      value: { data: { name, toJSON: () => ({ name, description: 'd' }) }, execute: async () => {}, components: [{ prefix, handle: async () => {} }] },
    });
    expect(() => buildRegistry([command('a', 'Has:Colon')])).toThrow(/component prefix "Has:Colon"/);
    expect(() => buildRegistry([command('a', 'same'), command('b', 'same')])).toThrow(/"same" is already used/);
  });

  it('accepts context-menu names with spaces and capitals', () => {
    const registry = buildRegistry([
      { file: 'mark.ts', value: { data: { name: 'Mark as solution', toJSON: () => ({ name: 'Mark as solution', type: 3 }) }, execute: async () => {} } },
    ]);
    expect(registry.commands.has('Mark as solution')).toBe(true);
  });
});
