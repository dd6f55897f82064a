/** A complete, valid environment for tests and the sandbox; override what a test cares about. */
export const TEST_SECRETS = {
  DISCORD_TOKEN: 'MTA5.sandbox-token.do-not-log-me-7f3a9c',
  STRIPE_SECRET_KEY: 'sk_test_sandboxsecretkey_do_not_log_51Hx',
  STRIPE_WEBHOOK_SECRET: 'whsec_sandbox_webhook_secret_do_not_log_9b2',
} as const;

export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    ...TEST_SECRETS,
    DISCORD_GUILD_ID: '1100000000000000001',
    MOD_CHANNEL_ID: '1100000000000000010',
    OWNER_CHANNEL_ID: '1100000000000000011',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}
