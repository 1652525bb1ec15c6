import { pino } from 'pino';
import { createSandbox } from './sandbox.js';
import { readSandboxEnv } from './sandbox-env.js';
import { sandboxTargetEnv } from './sandbox-target-env.js';

const logger = pino({ name: 'sandbox' });

let env: ReturnType<typeof readSandboxEnv>;
try {
  env = readSandboxEnv();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

if (env.usesDemoToken) {
  logger.warn(
    'ADMIN_TOKEN is not set: the admin API accepts the public demo token; set ADMIN_TOKEN for anything else',
  );
}
if (env.options.host !== '127.0.0.1' && env.options.host !== 'localhost' && env.options.host !== '::1') {
  logger.warn(
    { host: env.options.host },
    'SANDBOX_HOST is not loopback: the admin API is reachable from the network',
  );
}

const sandbox = createSandbox({
  ...env.options,
  // Method, path and status only: headers carry the bearer token.
  onAdminCall: (call) =>
    logger.info(
      {
        service: call.service,
        method: call.method,
        path: call.path,
        status: call.status,
        authorized: call.authorized,
      },
      'admin call',
    ),
});

try {
  const urls = await sandbox.start();
  for (const [service, url] of Object.entries(urls))
    logger.info({ service, url }, `${service} listening on ${url}`);
  // What the bot needs so that its host, logs and lsof probes read the sandbox, not this machine.
  const targets = sandboxTargetEnv(urls, sandbox.files());
  logger.info(
    { env: targets },
    `point Firebreak here: ${Object.entries(targets)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')} EXECUTOR_ALLOWED_PROGRAMS=lsof,ss,ps`,
  );
  logger.info(
    { mode: sandbox.mode },
    `sandbox running in ${sandbox.mode} mode; POST /__sandbox/mode on generation to switch`,
  );
} catch (err) {
  logger.error({ err }, 'sandbox failed to start');
  process.exit(1);
}

const shutdown = (signal: NodeJS.Signals): void => {
  logger.info({ signal }, 'stopping sandbox');
  sandbox.stop().then(
    () => logger.info('sandbox stopped'),
    (err: unknown) => {
      logger.error({ err }, 'sandbox did not stop cleanly');
      process.exitCode = 1;
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
