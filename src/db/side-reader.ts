// Reads that run beside this thread. better-sqlite3 is synchronous: a long read on the bot's
// connection holds up the thread for its whole length. A side reader runs read-only statements on a
// connection of its own in a worker thread, so SQLite works on one core while JavaScript goes on with
// other work on the other. The weekly digest reads its activity figures this way while it builds the
// members' timelines.
//
// WAL lets the two connections read at once; the side connection sees what was committed when each
// statement starts, like any reader. An in-memory database has no file to open a second connection
// on: its reads run on the Db itself, with the same results.
import { Worker } from 'node:worker_threads';
import type { RawBuilder } from 'kysely';
import { databaseFile, type Db } from './database.ts';

export interface Reader {
  /** The statement's rows. Statements run in the order they are given. */
  read<R>(statement: RawBuilder<R>): Promise<R[]>;
  /** Ends the reader once the reads given so far are answered. */
  close(): Promise<void>;
}

type Reply = { id: number; rows: unknown[] } | { id: number; error: string };

/** A reader beside this thread for a file database; for an in-memory one, a reader on `db`. */
export function openSideReader(db: Db): Reader {
  const file = databaseFile(db);
  if (file === null) return connectionReader(db);
  // No inherited loader flags (tsx's): the worker is plain JavaScript, and a loader only slows its start.
  const worker = new Worker(new URL('./side-reader-worker.mjs', import.meta.url), { workerData: { file }, execArgv: [] });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if ('error' in reply) p?.reject(new Error(`side reader: ${reply.error}`));
    else p?.resolve(reply.rows);
  });
  worker.on('error', (error) => failAll(new Error(`side reader: ${error.message}`)));
  worker.on('exit', (code) => failAll(new Error(`side reader: the worker stopped (exit code ${code})`)));
  return {
    read<R>(statement: RawBuilder<R>) {
      if (failure) return Promise.reject(failure);
      const { sql, parameters } = statement.compile(db);
      const id = nextId++;
      return new Promise<R[]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        worker.postMessage({ id, sql, parameters });
      });
    },
    async close() {
      // Messages are answered in order: once 'close' is read, every earlier read has its reply.
      if (!failure) worker.postMessage('close');
      await exited;
    },
  };
}

/** A reader on `db`'s own connection (an in-memory database, or a caller that wants no thread). */
export function connectionReader(db: Db): Reader {
  return {
    async read<R>(statement: RawBuilder<R>) {
      return (await statement.execute(db)).rows;
    },
    async close() {},
  };
}
