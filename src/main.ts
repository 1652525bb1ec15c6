import { startBot } from './app/start-bot.js';
import { loadDotEnv } from './config/load-dot-env.js';
import { readConfig } from './config/read-config.js';
import { isFirebreakError } from './errors.js';
import { stopOnSignals } from './lifecycle/stop-on-signals.js';
import { createLogger } from './logging/logger.js';

// Wiring only: .env → config → logger → signals → the bot (core, Slack surface, workers, HTTP).
try {
  loadDotEnv();
  const config = readConfig();
  const log = createLogger(config.logLevel);
  // The grace for running jobs, plus the other bounded steps of a stop (HTTP, Slack, Redis).
  const signals = stopOnSignals(log, { deadlineMs: config.shutdownGraceMs + 15_000 });
  const bot = await startBot(config, log);
  signals.running(() => bot.stop());
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
          ? ' — the port is taken: set PORT (or METRICS_PORT) to a free one'
          : '';
    console.error(`firebreak: failed to start: ${message}${hint}`);
  }
  process.exit(1);
}
