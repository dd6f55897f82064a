import { createApp } from './app.ts';
import { loadConfigOrExit, secretsOf } from './config.ts';
import { createLogger } from './logging/logger.ts';
import { CommandLoadError } from './discord/command-loader.ts';
import { TiersError } from './membership/tiers.ts';
import { QaConfigError } from './qa/qa-config.ts';
import { PostsConfigError } from './posts/posts-config.ts';
import { ReputationConfigError } from './reputation/reputation-config.ts';

// Composition root: config -> logger -> app -> start. Everything else lives in createApp.
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });

process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception; exiting so the process manager restarts a clean process');
  process.exit(1);
});

const app = await createApp(config, { logger }).catch((err: unknown) => {
  // A bad tiers file or command module: say exactly what is wrong, then stop.
  const configErrors = [TiersError, QaConfigError, PostsConfigError, ReputationConfigError, CommandLoadError];
  if (configErrors.some((type) => err instanceof type)) {
    process.stderr.write(`Guildhall cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  throw err;
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
try {
  await app.start();
} catch (err) {
  logger.fatal({ err }, 'startup failed');
  await app.stop().catch((stopErr: unknown) => logger.error({ err: stopErr }, 'cleanup after failed startup also failed'));
  process.exit(1);
}
