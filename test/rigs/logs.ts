import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging/logger.ts';

export interface CapturedLogs {
  logger: Logger;
  /** Every serialized line, exactly as it would reach stdout. */
  lines: string[];
  entries(): Record<string, unknown>[];
}

/** The real logger (redaction and scrubbing included), writing into memory. */
export function captureLogs(secrets: readonly string[], level: 'trace' | 'debug' | 'info' = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level, secrets, destination, pretty: false });
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
