import type { ReconcileProgress } from './reconcile.ts';

export interface ProgressBar {
  update(progress: ReconcileProgress): void;
  /** Leaves the last phase's final numbers on their own line, so the summary starts on a clean one. */
  done(): void;
}

const WIDTH = 28;
const LABEL = { subscriptions: 'Stripe subscriptions', members: 'Guild members', absent: 'Payers not in the server' } as const;

function line(p: ReconcileProgress): string {
  const total = 'total' in p ? p.total : null;
  const fraction = total ? Math.min(1, p.done / total) : null;
  const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '.')}] ${String(Math.floor(fraction * 100)).padStart(3)}% `;
  return `\r\x1b[2K${LABEL[p.phase]}: ${bar}${p.done.toLocaleString('en-US')}${total ? ` / ${total.toLocaleString('en-US')}` : ''}`;
}

/**
 * A one-line bar per phase, redrawn with `\r` at most every 100 ms. Only for a terminal: piped or
 * logged output gets no control characters (the caller passes `enabled`).
 */
export function progressBar(stream: NodeJS.WritableStream, enabled: boolean, now: () => number = () => performance.now()): ProgressBar {
  let last = 0;
  let current: ReconcileProgress | undefined;
  const finish = () => {
    if (current) stream.write(`${line(current)}\n`);
    current = undefined;
  };
  return {
    update(p) {
      if (!enabled) return;
      if (current && current.phase !== p.phase) finish();
      current = p;
      const t = now();
      if (t - last < 100) return;
      last = t;
      stream.write(line(p));
    },
    done: finish,
  };
}
