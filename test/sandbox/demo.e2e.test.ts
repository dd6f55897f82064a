import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/harness.ts';
import { formatStep, playScenario, type TranscriptStep } from '../../src/sandbox/scenario.ts';
import { createContractRecorder, discordContractAvailable, loadDiscordContract, type ContractRecorder } from '../rigs/discord-contract.ts';

// The demo's scenario, end to end: the unchanged bot as a child process against both emulators.
describe('npm run demo scenario', () => {
  let sandbox: Sandbox;
  let contract: ContractRecorder | undefined;
  let steps: TranscriptStep[];
  let text: string;
  let exitCode: number | null;

  beforeAll(async () => {
    contract = discordContractAvailable() ? createContractRecorder(await loadDiscordContract()) : undefined;
    sandbox = await startSandbox({
      onDiscordRequest: (r) => contract?.record({ method: r.method, path: r.path, query: r.query, body: r.body, headers: r.headers }),
    });
    steps = await playScenario(sandbox, () => undefined);
    text = steps.map(formatStep).join('\n');
    exitCode = await sandbox.stop();
  }, 180_000);

  afterAll(async () => {
    if (exitCode === undefined) await sandbox?.stop();
  });

  const stepText = (title: string) => {
    const step = steps.find((s) => s.title.startsWith(title));
    expect(step, `step "${title}" in:\n${text}`).toBeDefined();
    return step!.lines.join('\n');
  };

  it('starts the bot and registers its commands by bulk overwrite', () => {
    const started = stepText('The bot started');
    expect(started).toMatch(/registered \d+ slash commands.*\/about.*\/help.*\/join/);
    expect(started).toMatch(/⚙ bot did: PUT \/applications\/\d+\/guilds\/\d+\/commands \(\d+ items\) -> 200/);
  });

  it('sells a membership: /join gives a private Checkout link, paying gives the role', () => {
    expect(stepText('brian types /join')).toMatch(/only brian sees[\s\S]*\[button: Pay for Supporter -> http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_/);
    const paid = stepText('brian pays');
    expect(paid).toContain('brian now holds: Member');
    expect(paid).toContain('checkout.session.completed (200)');
    expect(paid).toMatch(/PUT \/guilds\/\d+\/members\/brian\/roles\/Member .* -> 204/);
  });

  it('swaps roles on upgrade, keeps access through a declined renewal and a cancellation at period end', () => {
    const upgraded = stepText('brian upgrades');
    // Both changes are applied concurrently, in either order.
    expect(upgraded).toMatch(/PUT .*\/brian\/roles\/Pro .* -> 204/);
    expect(upgraded).toMatch(/DELETE .*\/brian\/roles\/Member .* -> 204/);
    const declined = stepText("brian's card is declined");
    expect(declined).toContain('✉ brian gets a DM');
    expect(declined).toContain('brian now holds: Pro');
    expect(declined).toContain('Status: Past due — access until');
    expect(stepText('brian cancels')).toMatch(/brian now holds: Pro[\s\S]*Status: Cancels on/);
  });

  it('heals a role removed by hand through reconciliation, and /doctor catches a role above the bot', () => {
    const healed = stepText('an admin removes');
    expect(healed).toContain('brian now holds: no roles');
    expect(healed).toMatch(/npm run reconcile: Reconciled/);
    expect(healed).toMatch(/brian now holds: Pro/);
    const doctor = stepText('the owner drags');
    expect(doctor).toMatch(/❌ Tier "Pro"/);
    expect(doctor).toContain('move the "Guildhall" role above "Pro"');
  });

  it('runs Q&A: ask, one expert ping, answer, solution, search, one reminder', () => {
    const asked = stepText('brian asks a question');
    expect(asked).toContain('Your question is posted');
    expect(asked).toMatch(/📣 in the thread: "<@&\d+> a new question in \*\*typescript\*\*/);
    expect(asked).toMatch(/POST \/channels\/\d+\/threads -> 201/);
    expect(stepText('brian marks the answer')).toMatch(/Marked as the solution[\s\S]*✅ in the thread/);
    expect(stepText('brian searches')).toContain('1. [How do I narrow a union by a literal field?]');
    expect(stepText('brian asks about Rust')).toMatch(/⏰ in the thread: "<@&\d+> .*only reminder/);
  });

  it('reviews posts: a change request, an edit approved and published with ratings, one decision for two clicks', () => {
    expect(stepText('mo presses "Request changes…"')).toMatch(/Changes requested|changes/i);
    expect(stepText('jules approves the new version')).toMatch(/in #articles: "Narrowing unions in TypeScript" by Ada, with \[1★\]/);
    expect(stepText('tess writes a post; jules rejects it')).toMatch(/Rejected by[\s\S]*✉ tess gets a DM: .*not accepted/);
    expect(stepText('mo and jules press Approve')).toContain('Already decided by');
  });

  it('runs a challenge: announced once, a late entry refused, judged with reasons, results and an edited leaderboard', () => {
    expect(stepText('at its start, the job announces it')).toMatch(/in #challenges/);
    expect(stepText('the deadline passes; tess tries')).toMatch(/only tess sees[\s\S]*deadline/);
    const results = stepText('judging is complete');
    expect(results).toMatch(/Results for challenge #1\. 2 members took part[\s\S]*\(mentions: 0\)/);
    expect(results).toMatch(/✉ brian gets a DM: .*declined \(Incomplete/);
    const board = stepText('the leaderboard message in #challenges is edited');
    expect(board).toMatch(/🏆 Leaderboard[\s\S]*30 pts/);
    expect(board).toMatch(/PATCH \/channels\/\d+\/messages\/\d+ -> 200/);
  });

  it('seeds 12 weeks of history from the sources and prints the digest with its chart', () => {
    expect(stepText('12 weeks of a community arrive')).toMatch(/26 members join[\s\S]*24 checkouts/);
    const digest = stepText('the owner runs npm run digest');
    expect(digest).toMatch(/MRR \(USD\): \$\d+\.\d\d/);
    expect(digest).toMatch(/Paying members: \d+ \(\+\d+\) · Founder 1/);
    expect(digest).toMatch(/@oscar: last active/);
    expect(digest).toMatch(/the chart .* is in .*\.png/);
  });

  it('shows a member /about privately', () => {
    const about = stepText('carol types /about');
    expect(about).toContain('only carol sees');
    expect(about).toContain('┌ Guildhall');
    expect(about).toMatch(/Version: \d+\.\d+\.\d+/);
  });

  it('shows /help with the commands and a working details menu', () => {
    expect(stepText('ada types /help')).toMatch(/\/about: [\s\S]*\/help: [\s\S]*\/join: /);
    expect(stepText('ada picks')).toContain('┌ /about');
  });

  it('answers a stale command politely', () => {
    expect(stepText('brian types /subscribe')).toContain('That command no longer exists here');
  });

  it('reports healthy, then shuts down cleanly with exit code 0', () => {
    expect(stepText('the process manager checks')).toContain('HTTP 200 {"status":"ok","database":"ok","gateway":"ready"}');
    expect(exitCode).toBe(0);
  });

  it('sent only requests that match Discord\'s OpenAPI description', (ctx) => {
    if (!contract) return ctx.skip('../shared/discord-api-spec is absent');
    expect(contract.requests.length).toBeGreaterThan(4);
    contract.assertClean();
  });
});
