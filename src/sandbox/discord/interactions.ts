// Interactions in flight: their tokens, acknowledgement state and everything the bot answered.
import type { InteractionHandle, InteractionResponse, RawObject, VisibleReply } from './types.ts';

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  raw: RawObject;
  createdAt: number;
  /** Set by the first successful callback. */
  callbackType?: number;
  /** The message @original points at: the reply, the deferred "thinking" message, or the component's message. */
  originalMessageId?: string;
  sourceMessageId?: string;
  followups: Set<string>;
  responses: InteractionResponse[];
  listeners: Set<() => void>;
}

/** Interaction webhooks (follow-ups, @original edits) stay valid for 15 minutes. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;

export class InteractionRegistry {
  private readonly byId = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();
  /** Which responses count as what the member sees, and as what kind. */
  private readonly visible = new WeakMap<InteractionResponse, VisibleReply['kind']>();

  constructor(readonly callbackTimeoutMs: number) {}

  create(raw: RawObject): InteractionHandle {
    const record: InteractionRecord = {
      id: String(raw.id),
      token: String(raw.token),
      type: Number(raw.type),
      raw,
      createdAt: Date.now(),
      sourceMessageId: (raw.message as RawObject | undefined)?.id as string | undefined,
      followups: new Set(),
      responses: [],
      listeners: new Set(),
    };
    this.byId.set(record.id, record);
    this.byToken.set(record.token, record);
    return this.handle(record);
  }

  get(id: string): InteractionRecord | undefined {
    return this.byId.get(id);
  }

  getByToken(token: string): InteractionRecord | undefined {
    return this.byToken.get(token);
  }

  all(): InteractionRecord[] {
    return [...this.byId.values()];
  }

  record(rec: InteractionRecord, response: Omit<InteractionResponse, 'at' | 'ok'>, visibleAs?: VisibleReply['kind']): void {
    const full: InteractionResponse = { ...response, ok: response.status < 400, at: Date.now() };
    if (full.message) full.message = structuredClone(full.message);
    if (visibleAs && full.ok) this.visible.set(full, visibleAs);
    rec.responses.push(full);
    for (const listener of [...rec.listeners]) listener();
  }

  private handle(rec: InteractionRecord): InteractionHandle {
    const waitForResponse = (predicate: (r: InteractionResponse) => boolean = (r) => r.ok, timeoutMs = 5000) =>
      new Promise<InteractionResponse>((resolve, reject) => {
        const check = () => {
          const hit = rec.responses.find(predicate);
          if (!hit) return false;
          rec.listeners.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          rec.listeners.delete(check);
          const seen = rec.responses.map((r) => `${r.kind}${r.callbackType ? `(${r.callbackType})` : ''}:${r.status}`).join(', ') || 'nothing';
          reject(new Error(`Discord emulator: no matching response to interaction ${rec.id} within ${timeoutMs} ms (the bot sent: ${seen})`));
        }, timeoutMs);
        if (!check()) rec.listeners.add(check);
      });

    const visibleReply = async (timeoutMs = 5000): Promise<VisibleReply> => {
      const r = await waitForResponse((x) => this.visible.has(x), timeoutMs);
      const kind = this.visible.get(r) as VisibleReply['kind'];
      const data = (kind === 'reply' || kind === 'modal' || kind === 'autocomplete' ? r.body.data ?? {} : {}) as RawObject;
      if (kind === 'modal' || kind === 'autocomplete') {
        return { kind, data, embeds: [], components: (data.components as unknown[] | undefined) ?? [], ephemeral: true };
      }
      const message = (r.message ?? data) as RawObject;
      return {
        kind,
        data: message,
        content: typeof message.content === 'string' ? message.content : undefined,
        embeds: (message.embeds as unknown[] | undefined) ?? [],
        components: (message.components as unknown[] | undefined) ?? [],
        ephemeral: r.ephemeral,
      };
    };

    return { id: rec.id, token: rec.token, raw: rec.raw, responses: rec.responses, waitForResponse, visibleReply };
  }
}
