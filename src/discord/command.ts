import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
  UserContextMenuCommandInteraction,
} from 'discord.js';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type Stripe from 'stripe';
import type { Logger } from '../logging/logger.ts';
import type { Policy } from '../membership/entitlement.ts';
import type { Tiers } from '../membership/tiers.ts';
import type { QaSetup } from '../qa/qa-config.ts';
import type { ActivitySink } from '../activity/sink.ts';
import type { ChallengeSetup } from '../challenges/challenge-config.ts';
import type { PostsSetup } from '../posts/posts-config.ts';
import type { ReputationSetup } from '../reputation/reputation-config.ts';
import type { ReportsPort } from '../reports/digest-port.ts';

export interface Clock {
  now(): number;
}

/** What a command or component handler may use. Passed in, never imported as a global. */
export interface Deps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  commands: CommandRegistry;
  about: { version: string; startedAt: number };
  tiers: Tiers;
  policy: Policy;
  stripe: Stripe;
  /** Q&A topics, experts and delays; null when QA_CHANNEL_ID is unset (Q&A off). */
  qa: QaSetup | null;
  /** Wakes the outbox worker after a transaction queued Discord side effects. */
  outbox: { kick(): void };
  /** Null when CHALLENGE_CHANNEL_ID is unset (challenges off). */
  challenges: ChallengeSetup | null;
  /** Null when CONTENT_CHANNEL_ID is unset (member posts off). */
  posts: PostsSetup | null;
  /** Points, caps, levels and reward roles shared by Q&A, challenges and posts. */
  reputation: ReputationSetup;
  /** Records member activity metadata; never blocks, never throws. */
  activity: ActivitySink;
  /** The digest's figures (/stats). */
  reports: ReportsPort;
}

export type CommandInteraction =
  | ChatInputCommandInteraction
  | UserContextMenuCommandInteraction
  | MessageContextMenuCommandInteraction;

/** The shape of every file in commands/: `export default { data, execute }`. */
export interface Command<I extends CommandInteraction = ChatInputCommandInteraction> {
  data: { readonly name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody };
  execute(interaction: I, deps: Deps): Promise<unknown>;
  autocomplete?(interaction: AutocompleteInteraction, deps: Deps): Promise<unknown>;
  /** Buttons, select menus and modals this command owns, routed by custom_id prefix. */
  components?: ComponentHandler[];
}

export type ComponentInteraction = MessageComponentInteraction | ModalSubmitInteraction;

/**
 * Routed by custom_id `<prefix>:<rest>`. `rest` is usually a ui_state id (see ui-state.ts) or a
 * database row id, so the handler finds its state after a restart.
 */
export interface ComponentHandler {
  prefix: string;
  handle(interaction: ComponentInteraction, rest: string, deps: Deps): Promise<unknown>;
}

export interface CommandRegistry {
  readonly commands: ReadonlyMap<string, Command<CommandInteraction>>;
  readonly components: ReadonlyMap<string, ComponentHandler>;
}

/** Lets a command file keep its interaction type while the registry stores the general shape. */
export function defineCommand<I extends CommandInteraction = ChatInputCommandInteraction>(command: Command<I>): Command<I> {
  return command;
}
