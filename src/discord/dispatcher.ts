import { randomBytes } from 'node:crypto';
import type { Interaction, PermissionsBitField, RepliableInteraction } from 'discord.js';
import type { Command, CommandInteraction, ComponentInteraction, Deps } from './command.ts';
import { deliverNotices } from './member-notices.ts';
import { respondPrivately } from './respond.ts';
import { memberMessage, STALE_COMMAND_MESSAGE, unexpectedMessage, UserError } from './user-error.ts';

/** Server-side twin of Discord's `default_member_permissions`: the command settings are not trusted alone. */
export function canUse(command: Command<CommandInteraction>, permissions: Readonly<PermissionsBitField> | null): boolean {
  const required = command.data.toJSON().default_member_permissions;
  if (required === undefined || required === null) return true;
  return permissions !== null && permissions.has(BigInt(required));
}

/**
 * The one error boundary: every interaction enters here. Expected failures (UserError) become
 * the member-facing words from user-error.ts; anything else becomes a private "ref X" reply with X
 * logged beside the error. It never throws, so one bad handler cannot take the bot down.
 */
export function createDispatcher(deps: Deps): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    const started = deps.clock.now();
    const log = deps.logger.child({ interactionId: interaction.id, userId: interaction.user.id, kind: describe(interaction) });
    try {
      await route(interaction, deps);
      log.debug({ ms: deps.clock.now() - started }, 'interaction handled');
      if (interaction.isRepliable()) {
        await deliverNotices(interaction, deps).catch((err: unknown) => log.warn({ err }, 'could not show waiting notices; they stay for the next interaction'));
      }
    } catch (error) {
      if (interaction.isAutocomplete()) {
        log.error({ err: error }, 'autocomplete failed');
        await interaction.respond([]).catch((err: unknown) => log.warn({ err }, 'could not answer autocomplete'));
        return;
      }
      if (!interaction.isRepliable()) return;
      let content: string;
      if (error instanceof UserError) {
        log.info({ code: error.code, detail: error.detail }, 'interaction refused');
        content = memberMessage(error);
      } else {
        const ref = randomBytes(4).toString('hex').toUpperCase();
        log.error({ err: error, ref }, 'interaction failed');
        content = unexpectedMessage(ref);
      }
      await respondPrivately(interaction, content).catch((err: unknown) =>
        log.warn({ err }, 'could not tell the member about the failure (the interaction may have expired)'),
      );
    }
  };
}

async function route(interaction: Interaction, deps: Deps): Promise<void> {
  if (interaction.isChatInputCommand() || interaction.isContextMenuCommand()) {
    const command = deps.commands.commands.get(interaction.commandName);
    if (!command) return staleCommand(interaction, deps);
    if (!canUse(command, interaction.memberPermissions)) throw new UserError('forbidden');
    await command.execute(interaction, deps);
    return;
  }
  if (interaction.isAutocomplete()) {
    const command = deps.commands.commands.get(interaction.commandName);
    if (!command?.autocomplete || !canUse(command, interaction.memberPermissions)) return void (await interaction.respond([]));
    await command.autocomplete(interaction, deps);
    return;
  }
  if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
    await routeComponent(interaction, deps);
  }
}

async function routeComponent(interaction: ComponentInteraction, deps: Deps): Promise<void> {
  const separator = interaction.customId.indexOf(':');
  const prefix = separator === -1 ? interaction.customId : interaction.customId.slice(0, separator);
  const rest = separator === -1 ? '' : interaction.customId.slice(separator + 1);
  const handler = deps.commands.components.get(prefix);
  // A button from a message posted by an older version of the bot: say so instead of failing.
  if (!handler) throw new UserError('expired');
  await handler.handle(interaction, rest, deps);
}

async function staleCommand(interaction: RepliableInteraction, deps: Deps): Promise<void> {
  deps.logger.warn({ command: interaction.isCommand() ? interaction.commandName : undefined }, 'unknown command (stale registration)');
  await respondPrivately(interaction, STALE_COMMAND_MESSAGE);
}

function describe(interaction: Interaction): string {
  if (interaction.isCommand() || interaction.isAutocomplete()) return `command:${interaction.commandName}`;
  if (interaction.isMessageComponent() || interaction.isModalSubmit()) return `component:${interaction.customId.split(':')[0]}`;
  return 'other';
}
