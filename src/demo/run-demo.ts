/**
 * `npm run demo`: the product working without a Slack workspace. Starts Redis (its own redis-server unless
 * REDIS_URL is set), the sandbox in a 503 spike, a fake Slack Web API and the real bot, then plays
 * `/incident 503` to its resolution and prints the incident channel as text.
 *
 * `npm run demo -- --fault <resource|db|external|network>` injects one of the runbook's four root causes
 * instead, and the story follows the diagnosis to that scenario's actions.
 *
 * Environment: REDIS_URL — use this Redis under a unique prefix (nothing is flushed); DEMO_KEEP=1 — keep
 * everything running after the story until Ctrl-C; NO_COLOR — plain text even on a terminal.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { type LocalStack, startLocalStack } from '../dev/start-local-stack.js';
import { startRedisServer } from '../dev/start-redis-server.js';
import { ChannelPacer } from '../slack/channel-pacer.js';
import { DEMO_FAULTS, type DemoFaultName, parseDemoArgs } from './demo-faults.js';
import { createDemoOutput, type DemoOutput } from './demo-output.js';
import { playDemoStory } from './demo-story.js';
import { playFaultStory } from './fault-story.js';

const DANA = 'U0DEMO0001';
const RESPONDERS = ['U0DEMO0002', 'U0DEMO0003'];
const USER_NAMES = { [DANA]: 'dana', U0DEMO0002: 'sam', U0DEMO0003: 'lee' };
/** The story normally takes 20–30 s; past this something hangs, and the demo must still end by itself. */
const WATCHDOG_MS = 120_000;

const SERVICE_ROLES: Record<string, string> = {
  project: 'project service (:8001 in the runbook)',
  generation: 'generation service (:8002), the one overloaded',
  frontend: 'frontend (:3000)',
  chroma: 'ChromaDB (:8000)',
  prometheus: 'Prometheus (:9090)',
  upstream: 'OpenAI / Anthropic stand-in',
};

/** What was started, stopped in reverse order whatever happens. */
const cleanups: (() => Promise<void>)[] = [];
/**
 * A part that does not stop in time (the bot's queue workers wait for Redis while it is unreachable) must
 * not keep the demo alive: in-process servers end with the process, and redis-server is killed on exit.
 */
const STOP_TIMEOUT_MS = 5000;
async function stopAll(): Promise<void> {
  for (let stop = cleanups.pop(); stop; stop = cleanups.pop()) {
    await Promise.race([stop().catch(() => undefined), sleep(STOP_TIMEOUT_MS, undefined, { ref: false })]);
  }
}

/** Fails fast and clearly on a wrong REDIS_URL, rather than a bot that acks commands and stores nothing. */
async function checkRedis(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let cause = '';
  client.on('error', (err) => {
    cause = err.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(
      `cannot reach Redis at ${safeUrl(url)} (${cause || (err as Error).message}); ` +
        'fix REDIS_URL, or unset it and the demo starts its own redis-server',
    );
  } finally {
    client.disconnect();
  }
}

/** A Redis URL without its password, fit to print. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/** The host roles of the 503 runbook (`on:`), one worker each. */
const DEMO_ROLES = ['generation', 'project', 'nginx'] as const;

async function startEverything(
  out: DemoOutput,
  env: NodeJS.ProcessEnv,
  logFile: string,
  fault: DemoFaultName | undefined,
): Promise<LocalStack> {
  out.section('Starting everything on 127.0.0.1');
  let redisUrl = env.REDIS_URL?.trim();
  const prefix = `fb-demo-${randomBytes(4).toString('hex')}`;
  if (redisUrl) {
    await checkRedis(redisUrl);
    out.ok(`Redis        ${safeUrl(redisUrl)} (from REDIS_URL; keys under ${prefix}:*, nothing flushed)`);
  } else {
    const redis = await startRedisServer();
    cleanups.push(redis.stop);
    redisUrl = redis.url;
    out.ok(`Redis        ${redis.url} (a private redis-server, memory only)`);
  }
  const logStream = createWriteStream(logFile);
  cleanups.push(() => new Promise((resolve) => logStream.end(resolve)));
  const stack = await startLocalStack({
    redisUrl,
    prefix,
    mode: fault === undefined ? 'spike' : DEMO_FAULTS[fault].mode,
    // The sandbox's 5-minute rate windows look back 5 s, so the recovery shows within the demo.
    sandboxTiming: { historyMs: 5000 },
    responders: RESPONDERS,
    // Twice Slack's 1 message/s per channel: the story stays readable and well under a minute.
    pacer: new ChannelPacer(500, 4),
    logLevel: 'info',
    logDestination: logStream,
    // A worker per host role of the runbook, as on the stack's hosts: each reads the simulated host.
    hostWorkers: DEMO_ROLES,
  });
  cleanups.push(stack.stop);
  out.useSlack(stack.slack);

  const bot = stack.bot.url;
  const ready = await fetch(`${bot}/readyz`).then(
    (r) => r.status,
    () => 0,
  );
  if (ready !== 200) throw new Error(`the bot is not ready: ${bot}/readyz answered ${ready || 'nothing'}`);
  out.ok(`Firebreak    ${bot}/slack/events  ← Slack posts slash commands and button clicks here`);
  out.say(`             ${bot}/healthz · /readyz (${ready}: ready) · /metrics (Prometheus)`);
  out.ok(`Fake Slack   ${stack.slackUrl}  ← the Web API the bot calls (chat.postMessage, …)`);
  const state =
    fault === undefined ? 'in a 503 spike' : `with the ${fault} fault (${DEMO_FAULTS[fault].mode})`;
  out.ok(`Sandbox      a simulation of the runbook’s stack, ${state}:`);
  for (const [service, url] of Object.entries(stack.sandboxUrls)) {
    out.say(`               ${url.padEnd(24)} ${out.paint(SERVICE_ROLES[service] ?? service, 'dim')}`);
  }
  const procRoot = stack.sandbox.files().procRoot;
  for (const worker of stack.hostWorkers) {
    out.ok(
      `Worker       ${worker.info.name.padEnd(13)} ${out.paint(`npm run worker -- --role ${worker.info.roles.join(',')}`, 'dim')}`,
    );
  }
  out.say(`             each reads the simulated host: HOST_PROC_ROOT=${procRoot}`);
  out.note(`The bot’s own logs (pino JSON): ${logFile}`);
  return stack;
}

async function keepRunning(out: DemoOutput, stack: LocalStack): Promise<void> {
  out.section('Still running (DEMO_KEEP=1)');
  out.say(`Try: curl ${stack.sandboxUrls.generation}/api/generation/health`);
  out.say(`     curl ${stack.bot.url}/metrics`);
  out.say('Press Ctrl-C to stop everything.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

async function main(): Promise<number> {
  const env = process.env;
  let fault: DemoFaultName | undefined;
  try {
    ({ fault } = parseDemoArgs(process.argv.slice(2)));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const out = createDemoOutput({
    color: Boolean(process.stdout.isTTY) && !env.NO_COLOR,
    userNames: USER_NAMES,
  });
  const started = performance.now();
  const logFile = join(mkdtempSync(join(tmpdir(), 'firebreak-demo-')), 'firebreak.log');
  const keep = env.DEMO_KEEP === '1';

  // Ctrl-C during the story still stops what was started.
  let stopping = false;
  const interrupted = () => {
    stopping = true;
    out.fail('Interrupted: stopping everything…');
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const watchdog = setTimeout(() => {
    out.fail(`The demo did not finish within ${WATCHDOG_MS / 1000} s; stopping. Logs: ${logFile}`);
    void stopAll().finally(() => process.exit(1));
  }, WATCHDOG_MS);

  out.title('Firebreak demo: /incident 503, without a Slack workspace');
  out.note('Redis, a simulated stack, a stand-in for Slack’s Web API and the real bot, all on this machine.');
  try {
    const stack = await startEverything(out, env, logFile, fault);
    const cast = {
      user: DANA,
      second: 'U0DEMO0002',
      names: USER_NAMES,
      summary: 'checkout is returning 503s',
    };
    if (fault === undefined) await playDemoStory(stack, out, cast);
    else await playFaultStory(stack, out, cast, DEMO_FAULTS[fault]);
    clearTimeout(watchdog);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (keep) {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await keepRunning(out, stack);
    }
    await stopAll();
    out.section('Done');
    out.ok(`The story took ${seconds} s. Everything started here is stopped again.`);
    out.say('Next: README.md connects the bot to a real Slack workspace (`npm start`).');
    return 0;
  } catch (err) {
    clearTimeout(watchdog);
    // After Ctrl-C the story fails as its parts stop under it: that is not news.
    if (stopping) return 130;
    out.fail(`The demo failed: ${err instanceof Error ? err.message : String(err)}`);
    if (existsSync(logFile)) out.note(`The bot’s logs: ${logFile}`);
    await stopAll();
    return 1;
  }
}

process.exitCode = await main();
// Everything is stopped, so the process ends by itself; if a handle still lingers, do not hang on it.
setTimeout(() => process.exit(), 2000).unref();
