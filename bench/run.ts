import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { printTable, writeResults, type Figure } from './figures.ts';
import { benchOutboxDrain } from './outbox-drain.ts';
import { benchQaSearch } from './qa-search.ts';
import { benchReconcile } from './reconcile.ts';
import { benchStartup } from './startup.ts';
import { benchWebhook } from './webhook.ts';
import { benchLeaderboard } from './leaderboard.ts';
import { benchCapture } from './capture.ts';
import { benchContent } from './content.ts';
import { benchDigest } from './digest.ts';

// `npm run bench [-- --runs N] [--only suite,suite]`: prints a table and writes bench/results/latest.json.
// Later issues add their benchmarks to `suites`.
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const out = fileURLToPath(new URL('./results/latest.json', import.meta.url));

const suites: Record<string, () => Promise<Figure[]>> = {
  startup: () => benchStartup(runs),
  'outbox-drain': () => benchOutboxDrain(),
  webhook: () => benchWebhook(runs),
  reconcile: () => benchReconcile(),
  'qa-search': () => benchQaSearch(),
  leaderboard: () => benchLeaderboard(),
  content: () => benchContent(),
  capture: () => benchCapture(),
  digest: () => benchDigest(),
};

// `--only name[,name]` runs just those suites (handy while working on one).
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1]?.split(',')) : undefined;
const figures: Figure[] = [];
for (const [name, run] of Object.entries(suites).filter(([n]) => !only || only.has(n))) {
  process.stderr.write(`running ${name} (${runs} runs)…\n`);
  figures.push(...(await run()));
}
printTable(figures);
writeResults(out, figures, { at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, runs });
console.log(`\nwritten to ${out}`);
