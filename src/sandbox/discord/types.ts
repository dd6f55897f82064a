// Public types of the local Discord emulator. Raw objects follow Discord API v10 (snake_case).

export interface EmulatorUser {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface EmulatorRole {
  id: string;
  name: string;
  /** Permission bit set as a decimal string, as Discord sends it. */
  permissions: string;
  position?: number;
}

export interface EmulatorChannel {
  id: string;
  name: string;
  /** 0 text, 2 voice, 4 category, 5 announcement, 15 forum, ... */
  type: number;
  parentId?: string;
}

export interface EmulatorMember {
  user: EmulatorUser;
  roles?: string[];
  joinedAt?: string;
}

export interface RateLimitOptions {
  /** Every bucket (method + route with its major parameter) allows `limit` requests per `windowMs`. */
  perRoute?: { limit: number; windowMs: number };
  /** Requests per second over all routes; Discord's is 50. */
  globalPerSecond?: number;
}

export interface DiscordEmulatorOptions {
  port?: number;
  /** The only bot token accepted ("Authorization: Bot <token>" and IDENTIFY). */
  token: string;
  applicationId?: string;
  botUser?: EmulatorUser;
  /** The bot's own managed role. By default it sits above every configured role and can manage roles. */
  botRole?: { id?: string; name?: string; permissions?: string; position?: number };
  guild: { id: string; name: string; ownerId: string };
  /** @everyone (id = guild id) is created automatically unless listed. */
  roles?: EmulatorRole[];
  channels?: EmulatorChannel[];
  /** Members present before the bot connects. */
  members?: EmulatorMember[];
  /** Off unless given. */
  rateLimits?: RateLimitOptions | false;
  /** Default 41250, as Discord sends. */
  heartbeatIntervalMs?: number;
  /** How long an interaction may wait for its first callback; Discord allows 3 s. */
  interactionCallbackTimeoutMs?: number;
  /** Called for every REST request once it was answered. */
  onRequest?: (req: RecordedRequest) => void;
  /** Receives notable events (unknown routes, rejected requests, gateway lifecycle). Default: warnings to stderr. */
  logger?: (line: string) => void;
}

export interface RecordedAttachment {
  field: string;
  filename: string;
  size: number;
  contentType: string;
}

export interface RecordedRequest {
  method: string;
  /** Decoded, e.g. /api/v10/webhooks/1/tok/messages/@original */
  path: string;
  query: Record<string, string>;
  /** Lower-case names. The bot token in `authorization` is masked. */
  headers: Record<string, string>;
  /** Parsed JSON, or for multipart the parsed payload_json. */
  body: unknown;
  attachments: RecordedAttachment[];
  status: number;
  /** Parsed response body (undefined for 204). */
  response: unknown;
  at: number;
}

export type RawObject = Record<string, unknown>;

export interface InteractionResponse {
  kind: 'callback' | 'edit-original' | 'delete-original' | 'followup' | 'edit-followup' | 'delete-followup';
  /** For kind 'callback': 4 message, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
  callbackType?: number;
  /** The request body: the whole callback `{ type, data }`, or a webhook message body. */
  body: RawObject;
  attachments: RecordedAttachment[];
  /** A snapshot of the message the response created or changed, when there is one. */
  message?: RawObject;
  ephemeral: boolean;
  status: number;
  ok: boolean;
  /** Discord's error body when the emulator rejected it. */
  error?: { code: number; message: string };
  at: number;
}

export interface VisibleReply {
  content?: string;
  embeds: unknown[];
  components: unknown[];
  ephemeral: boolean;
  kind: 'reply' | 'edit' | 'followup' | 'modal' | 'update' | 'autocomplete';
  /** For kind 'modal': the modal's custom_id, title and components. For 'autocomplete': the choices. */
  data: RawObject;
}

export interface InteractionHandle {
  id: string;
  token: string;
  raw: RawObject;
  /** Every callback, @original edit/delete and follow-up, in order (rejected ones too, with ok false). */
  responses: InteractionResponse[];
  /** Resolves with the first response (default: first successful one) matching `predicate`. */
  waitForResponse(predicate?: (r: InteractionResponse) => boolean, timeoutMs?: number): Promise<InteractionResponse>;
  /** The first thing the member actually sees. */
  visibleReply(timeoutMs?: number): Promise<VisibleReply>;
}

export interface RunCommandInput {
  userId: string;
  name: string;
  /** Raw API options, or `{ name: value }` (nested objects for subcommands) typed from the registered command. */
  options?: RawObject[] | Record<string, unknown>;
  channelId?: string;
  /** 1 chat input (default), 2 user context menu, 3 message context menu. */
  type?: 1 | 2 | 3;
  targetId?: string;
  locale?: string;
}

export interface ComponentInput {
  userId: string;
  message: RawObject | string;
  customId: string;
  channelId?: string;
}

export interface IdentifyRecord {
  at: number;
  intents: number;
  shard?: [number, number];
  largeThreshold?: number;
  properties: RawObject;
  presence?: RawObject;
}
