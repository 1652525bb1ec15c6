import type { Redis } from 'ioredis';
import type { LocalStack } from '../src/dev/start-local-stack.js';
import { WHOLE_INCIDENT_DECISIONS } from '../src/dev/whole-incident.js';
import type { FakeMessage } from '../src/fake-slack/index.js';
import { redisCommands } from './measure-burst.js';

export interface IncidentRun {
  wallMs: number;
  webApiCalls: Record<string, number>;
  channelMessages: number;
  redisCommands: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Where an action's card says how it ended: the context block after its own section. */
function outcome(messages: readonly FakeMessage[], actionId: string): string | undefined {
  for (const message of messages) {
    const at = message.blocks.findIndex((b) => b.block_id === `action-${actionId}`);
    if (at < 0) continue;
    const state = JSON.stringify(message.blocks[at + 1] ?? {});
    return /(succeeded|failed|skipped)\*/.exec(state)?.[1];
  }
  return undefined;
}

/**
 * One whole 503 incident at the real pace: open → snapshot → ten decisions → resolve, thread
 * delivered. It watches the fake Slack only, so that the Redis commands counted are the bot's own.
 */
export async function measureIncident(stack: LocalStack, admin: Redis): Promise<IncidentRun> {
  const { slack } = stack;
  const commandsBefore = await redisCommands(admin);
  const callsBefore = slack.calls.length;
  const started = performance.now();
  const user = 'U0BENCH002';
  await stack.slash('503 whole incident', user);
  const channel = await until('the incident channel', async () =>
    slack.channels().find((c) => {
      const header = slack.messages(c.id)[0];
      return (
        c.name.startsWith('inc-') && header && JSON.stringify(header.blocks).includes('"whole incident"')
      );
    }),
  );
  const thread = () => slack.messages(channel.id)[0]?.replies ?? [];
  for (const [actionId, decision] of WHOLE_INCIDENT_DECISIONS) {
    const card = await until(`the card of ${actionId}`, async () =>
      thread().find((m) => m.blocks.some((b) => b.block_id === `action-${actionId}`)),
    );
    await stack.click(card, `${decision}-${actionId}`, user);
    await until(`${actionId} to finish`, async () => outcome(thread(), actionId));
  }
  // With a reason: the recovery checklist's scheduled checks have not run yet in a run this short.
  await stack.slash('resolve bench run over', user, channel.id);
  await until('the resolve', async () => {
    const header = slack.messages(channel.id)[0];
    const locked = !JSON.stringify(thread()).includes('"approve-');
    return (
      JSON.stringify(header?.blocks).includes('Resolved') &&
      locked &&
      thread().some((m) => m.text.includes('resolved incident'))
    );
  });
  const wallMs = performance.now() - started;
  const commands = (await redisCommands(admin)) - commandsBefore;
  const calls = slack.calls.slice(callsBefore).filter((c) => c.method !== 'auth.test');
  const webApiCalls: Record<string, number> = {};
  for (const call of calls) webApiCalls[call.method] = (webApiCalls[call.method] ?? 0) + 1;
  const channelMessages = calls.filter(
    (c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === channel.id,
  ).length;
  return { wallMs, webApiCalls, channelMessages, redisCommands: commands };
}
