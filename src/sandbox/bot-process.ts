import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** The only parent variables a sandbox child gets: enough to find node, nothing secret. */
export function childBaseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface BotProcess {
  child: ChildProcess;
  logs: LogLine[];
  /** Resolves with the first log line matching `predicate`, rejects if the bot exits first. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then the exit code (the bot's graceful shutdown should give 0). */
  stop(): Promise<number | null>;
}

/**
 * Starts the unchanged bot (`src/main.ts`, what `npm start` runs) as a child process configured
 * only through environment variables, and reads its JSON log lines from stdout.
 */
export function startBotProcess(env: Record<string, string>, onLine?: (line: LogLine) => void): BotProcess {
  const child = spawn(TSX, ['src/main.ts'], {
    cwd: ROOT,
    // Only what the bot needs: no inherited .env surprises (dotenv never overrides these).
    env: { ...childBaseEnv(), NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      const line = JSON.parse(text) as LogLine;
      logs.push(line);
      onLine?.(line);
      for (const wake of waiters) wake();
    } catch {
      stderr.push(text);
    }
  });
  createInterface({ input: child.stderr! }).on('line', (text) => stderr.push(text));
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return {
    child,
    logs,
    waitForLog(predicate, timeoutMs = 60_000) {
      return new Promise<LogLine>((resolve, reject) => {
        const check = () => {
          const found = logs.find(predicate);
          if (found) finish(() => resolve(found));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`bot log line not seen within ${timeoutMs} ms\n${stderr.join('\n')}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        void exited.then((code) => finish(() => reject(new Error(`bot exited with code ${code} before the expected log line\n${stderr.join('\n')}`))));
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
