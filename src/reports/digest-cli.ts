import { writeFile } from 'node:fs/promises';
import { loadConfigOrExit, secretsOf } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createLogger } from '../logging/logger.ts';
import { loadTiers } from '../membership/tiers.ts';
import { DIGEST_USAGE, DigestArgsError, parseDigestArgs, type DigestArgs } from './digest-cli-args.ts';
import { runDigestCli } from './digest-cli-run.ts';

// `npm run digest -- --as-of <ISO instant> [--json] [--post] [--chart file.png]`: the digest for
// the week ending at asOf, from a terminal. It needs no Discord connection: --post only queues the
// message in the database, and the bot's outbox worker sends it (at once, or when the bot starts).
let args: DigestArgs;
try {
  args = parseDigestArgs(process.argv.slice(2), Date.now());
} catch (error) {
  if (!(error instanceof DigestArgsError)) throw error;
  process.stderr.write(`npm run digest: ${error.message}\n\n${DIGEST_USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(DIGEST_USAGE);
  process.exit(0);
}
const config = loadConfigOrExit();
// Logs go to stderr: stdout carries the digest (and must stay valid JSON with --json).
const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), destination: process.stderr, pretty: false });
const db = openDatabase(config.databasePath);
try {
  await migrate(db);
  const tiers = await loadTiers(config.tiersFile);
  // The one place the CLI meets the real figures; loaded after the arguments are checked.
  const { createComputeDigest } = await import('./compute-digest.ts');
  const compute = createComputeDigest(db, tiers, { gracePeriodMs: config.gracePeriodHours * 3_600_000 });
  process.exitCode = await runDigestCli(args, {
    db, compute, config, logger,
    clock: { now: () => Date.now() },
    outbox: { kick: () => undefined },
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    writeFile: (path, data) => writeFile(path, data),
  });
} catch (error) {
  process.stderr.write(`The digest could not be made: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
