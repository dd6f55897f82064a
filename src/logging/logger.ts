import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

export interface LoggerSetup {
  level: LoggerOptions['level'];
  /** Values that must never reach a log line, whatever field or message they hide in. */
  secrets: readonly string[];
  /** Where lines go; defaults to stdout. Tests pass a collecting stream. */
  destination?: DestinationStream;
  /** Human-readable output; defaults to "stdout is a terminal". */
  pretty?: boolean;
}

// Field names that carry credentials in the objects we (or libraries) might log.
const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["stripe-signature"]',
  '*.headers["stripe-signature"]',
  'signature',
  '*.signature',
  'secret',
  '*.secret',
];

/**
 * Structured logs: JSON for machines, pino-pretty in a terminal.
 * Path redaction catches the fields we know about; scrubbing every serialized line for the
 * configured secret values catches the ones we don't (an error message quoting a header, say).
 */
export function createLogger(setup: LoggerSetup): Logger {
  const secrets = setup.secrets.filter((s) => s.length >= 4);
  const scrub = (line: string) => secrets.reduce((out, s) => out.split(s).join('[secret]'), line);
  const pretty = setup.pretty ?? (process.stdout.isTTY === true && setup.destination === undefined);
  const options: LoggerOptions = {
    level: setup.level,
    base: { app: 'guildhall' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: scrub },
  };
  if (pretty) {
    // pino-pretty runs in-process (not as a worker transport) so the scrub hook still applies.
    return pino(options, prettyStream());
  }
  return pino(options, setup.destination ?? pino.destination({ dest: 1, sync: true }));
}

function prettyStream(): DestinationStream {
  return pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' });
}
