const DELAYS_MS = [50, 200, 1_000, 3_000];

/**
 * Runs a page's transaction again when SQLite answers SQLITE_BUSY. `npm run reconcile` is a second
 * process beside the bot: a deferred transaction that reads, then writes after the bot committed,
 * gets SQLITE_BUSY_SNAPSHOT at once (busy_timeout does not apply). A page is re-read and re-decided
 * from scratch, so running it again is safe.
 */
export async function retryBusy<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const delay = DELAYS_MS[attempt];
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
