import type { REST } from 'discord.js';
import type { Db } from '../db/database.ts';
import type { Clock, Deps } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import type { QaSetup } from './qa-config.ts';

/** What the Q&A services use: passed in by commands and jobs, never imported as globals. */
export interface QaPorts {
  db: Db;
  rest: REST;
  qa: QaSetup;
  guildId: string;
  clock: Clock;
  logger: Logger;
  outbox: Deps['outbox'];
}

export const HOUR_MS = 3_600_000;
