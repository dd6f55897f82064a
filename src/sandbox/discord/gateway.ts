// The gateway: HELLO, IDENTIFY/RESUME, heartbeats, sequenced dispatches with replay for resumes.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { applyContentIntent, buildGuildCreate, buildMemberChunks, buildReady, requiredIntent } from './gateway-events.ts';
import type { EmulatorState } from './state.ts';
import type { RawObject } from './types.ts';

const REPLAY_BUFFER = 5000;

interface Session {
  id: string;
  intents: number;
  largeThreshold: number;
  seq: number;
  /** Every dispatch of this session, so a RESUME can replay what the client missed. */
  sent: { op: 0; s: number; t: string; d: unknown }[];
  socket: WebSocket | null;
  ready: boolean;
}

export interface GatewayDeps {
  state: EmulatorState;
  token: string;
  heartbeatIntervalMs: number;
  url: () => string;
  log: (line: string) => void;
}

export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  readonly sessions = new Map<string, Session>();
  /** What the gateway saw, for tests: heartbeats answered, resumes, INVALID_SESSIONs sent. */
  readonly counts = { heartbeats: 0, resumes: 0, invalidSessions: 0 };
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly deps: GatewayDeps) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.replace(/\/+$/, '') !== '/gateway') {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url.searchParams));
    });
  }

  /** True while a session has a live, identified (or resumed) connection. */
  get isReady(): boolean {
    return [...this.sessions.values()].some((s) => s.ready && s.socket?.readyState === WebSocket.OPEN);
  }

  whenReady(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends (or, while disconnected, queues for RESUME) a dispatch to every session whose intents allow it. */
  async dispatch(event: string, data: RawObject): Promise<void> {
    const need = requiredIntent(event, data);
    if (this.sessions.size === 0) this.deps.log(`gateway: no bot session yet, ${event} was not delivered`);
    const sends: Promise<void>[] = [];
    for (const session of this.sessions.values()) {
      if (need !== 0 && (session.intents & need) === 0) continue;
      const d = applyContentIntent(event, data, session.intents, this.deps.state.botUser.id);
      sends.push(this.sendDispatch(session, event, d));
    }
    await Promise.all(sends);
  }

  /** Closes the bot's sockets. `forgetSessions` makes a later RESUME fail with INVALID_SESSION. */
  dropConnection(code = 4000, opts: { forgetSessions?: boolean } = {}): void {
    for (const session of [...this.sessions.values()]) {
      const socket = session.socket;
      session.socket = null;
      session.ready = false;
      if (opts.forgetSessions) this.sessions.delete(session.id);
      if (!socket) continue;
      // 1006 cannot be sent in a close frame; it is what the client sees when the TCP link just dies.
      if (code === 1006) socket.terminate();
      else socket.close(code, 'Dropped by the emulator');
    }
    this.deps.log(`gateway: dropped connection with code ${code}${opts.forgetSessions ? ', sessions forgotten' : ''}`);
  }

  /** Asks the client for an immediate heartbeat (op 1), as Discord sometimes does. */
  requestHeartbeat(): void {
    for (const s of this.sessions.values()) s.socket?.send(JSON.stringify({ op: 1, d: s.seq }));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket, params: URLSearchParams): void {
    if (params.get('v') !== null && params.get('v') !== '10') {
      ws.close(4012, 'Invalid API version');
      return;
    }
    if (params.get('encoding') && params.get('encoding') !== 'json') {
      ws.close(4002, 'Only encoding=json is emulated');
      return;
    }
    let session: Session | null = null;
    const send = (payload: unknown) => ws.send(JSON.stringify(payload));
    send({ op: 10, s: null, t: null, d: { heartbeat_interval: this.deps.heartbeatIntervalMs, _trace: ['["guildhall-emulator",{}]'] } });

    ws.on('message', (raw) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(String(raw)) as { op?: number; d?: unknown };
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      const d = (payload.d ?? {}) as RawObject;
      switch (payload.op) {
        case 1:
          this.counts.heartbeats += 1;
          send({ op: 11, s: null, t: null, d: null });
          return;
        case 2:
          if (session) return ws.close(4005, 'Already authenticated');
          session = this.identify(ws, d);
          return;
        case 6:
          if (session) return ws.close(4005, 'Already authenticated');
          session = this.resume(ws, d);
          return;
        case 3: case 4:
          if (!session) ws.close(4003, 'Not authenticated');
          return; // presence and voice state updates have no effect here
        case 8:
          if (!session) return ws.close(4003, 'Not authenticated');
          for (const chunk of buildMemberChunks(this.deps.state, d)) void this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', chunk);
          return;
        default:
          ws.close(session ? 4001 : 4003, session ? 'Unknown opcode' : 'Not authenticated');
      }
    });
    ws.on('close', (code) => {
      if (session && session.socket === ws) {
        session.socket = null;
        session.ready = false;
      }
      this.deps.log(`gateway: connection closed (${code})`);
    });
  }

  private identify(ws: WebSocket, d: RawObject): Session | null {
    if (d.token !== this.deps.token) {
      this.deps.log('gateway: IDENTIFY with an invalid token, closing 4004');
      ws.close(4004, 'Authentication failed');
      return null;
    }
    if (typeof d.intents !== 'number' || !Number.isInteger(d.intents) || d.intents < 0) {
      ws.close(4013, 'Invalid intent(s)');
      return null;
    }
    const shard = Array.isArray(d.shard) ? (d.shard as [number, number]) : undefined;
    const largeThreshold = typeof d.large_threshold === 'number' ? d.large_threshold : 50;
    this.deps.state.identifies.push({
      at: Date.now(), intents: d.intents, shard, largeThreshold,
      properties: (d.properties ?? {}) as RawObject,
      ...(d.presence ? { presence: d.presence as RawObject } : {}),
    });
    // A fresh IDENTIFY means sessions nobody is connected to will never be resumed.
    for (const [id, s] of this.sessions) if (!s.socket) this.sessions.delete(id);
    const session: Session = {
      id: randomBytes(16).toString('hex'), intents: d.intents, largeThreshold, seq: 0, sent: [], socket: ws, ready: false,
    };
    this.sessions.set(session.id, session);
    void this.sendDispatch(session, 'READY', buildReady(this.deps.state, session.id, this.deps.url(), shard));
    void this.sendDispatch(session, 'GUILD_CREATE', buildGuildCreate(this.deps.state, session.intents, largeThreshold));
    this.markReady(session);
    this.deps.log(`gateway: IDENTIFY intents=${d.intents}, session ${session.id}`);
    return session;
  }

  private resume(ws: WebSocket, d: RawObject): Session | null {
    if (d.token !== this.deps.token) {
      ws.close(4004, 'Authentication failed');
      return null;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!session) {
      // d:false tells the client it must IDENTIFY again.
      ws.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
      this.counts.invalidSessions += 1;
      this.deps.log('gateway: RESUME of an unknown session, sent INVALID_SESSION');
      return null;
    }
    session.socket?.close(4009, 'Session resumed elsewhere');
    session.socket = ws;
    const from = typeof d.seq === 'number' ? d.seq : 0;
    const missed = session.sent.filter((p) => p.s > from);
    for (const p of missed) ws.send(JSON.stringify(p));
    this.counts.resumes += 1;
    void this.sendDispatch(session, 'RESUMED', { _trace: ['["guildhall-emulator",{}]'] });
    this.markReady(session);
    this.deps.log(`gateway: RESUME session ${session.id}, replayed ${missed.length} events`);
    return session;
  }

  private markReady(session: Session): void {
    session.ready = true;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  private sendDispatch(session: Session, t: string, d: unknown): Promise<void> {
    const payload = { op: 0 as const, s: ++session.seq, t, d };
    session.sent.push(payload);
    if (session.sent.length > REPLAY_BUFFER) session.sent.shift();
    const socket = session.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve) => socket.send(JSON.stringify(payload), () => resolve()));
  }
}
