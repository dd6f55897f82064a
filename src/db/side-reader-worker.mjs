// The worker thread behind side-reader.ts: its own read-only connection to the database file, which
// runs the statements it is sent, one after another, and posts each one's rows back.
// Plain JavaScript on purpose: Node 20 loads a worker's code itself, without the TypeScript loader of
// the thread that starts it (tsx in the bot, Vite in the tests), and this file needs none.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const sqlite = new SQLite(workerData.file, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');

parentPort.on('message', (message) => {
  if (message === 'close') {
    sqlite.close();
    parentPort.close();
    return;
  }
  const { id, sql, parameters } = message;
  try {
    parentPort.postMessage({ id, rows: sqlite.prepare(sql).all(parameters) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
