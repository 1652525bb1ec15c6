import { startBot } from './app/start-bot.js';
import { loadDotEnv } from './config/load-dot-env.js';
import { readConfig } from './config/read-config.js';
import { isFirebreakError } from './errors.js';
import { installProcessGuard } from './lifecycle/process-guard.js';
import { createLogger } from './logging/logger.js';
import { SecretMask } from './secrets/secret-mask.js';

// Wiring only: .env → config → logger → process guard → the bot (core, Slack surface, workers, HTTP) → signals.
try {
  loadDotEnv();
  const config = readConfig();
  const secretMask = new SecretMask(config.secrets);
  const log = createLogger(config.logLevel, undefined, secretMask);
  const guard = installProcessGuard({ log });
  const bot = await startBot(config, log, { secretMask });
  guard.onFatal(() => bot.stop());
  guard.register(bot.registry);
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
} catch (err) {
  if (isFirebreakError(err, 'config_invalid')) {
    console.error(
      `firebreak: invalid configuration — fix these variables (see .env.example):\n${err.message}`,
    );
  } else if (isFirebreakError(err, 'runbook_invalid')) {
    console.error(`firebreak: ${err.message}\nRun \`npx firebreak validate\` after fixing it.`);
  } else {
    // One line a person can act on; the stack helps only when it is ours.
    const message = err instanceof Error ? err.message : String(err);
    const hint = /slack|fetch failed|socket/i.test(message)
      ? ' — Slack could not be reached: check SLACK_API_URL, SLACK_APP_TOKEN (Socket Mode) and the network'
      : /redis|ECONNREFUSED/i.test(message)
        ? ' — check REDIS_URL'
        : /EADDRINUSE/.test(message)
          ? ' — the port is taken: set PORT to a free one'
          : '';
    console.error(`firebreak: failed to start: ${message}${hint}`);
  }
  process.exit(1);
}
