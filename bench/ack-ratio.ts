import { App, HTTPReceiver } from '@slack/bolt';
import type { LocalStack } from '../src/dev/start-local-stack.js';
import { freePort } from '../src/dev/start-redis-server.js';
import { sendToBot, slashCommandBody } from '../src/fake-slack/index.js';
import { fixed, summarize, table, underLoad } from './bench-stats.js';

/**
 * A bare Bolt app on its own HTTP receiver, answering `/incident help` with a fixed text: the
 * least any Bolt bot can do for the same signed request. Loopback only.
 */
async function startBareBolt(signingSecret: string): Promise<{ url: string; stop(): Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-bare-bolt', botId: 'B0BARE', botUserId: 'U0BARE' }),
  });
  app.command('/incident', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: '*Usage*\n• `/incident <kind>` — open an incident' });
  });
  const port = await freePort();
  await app.start({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.stop();
    },
  };
}

/**
 * `/incident help` acknowledged by Firebreak and by the bare Bolt app, 1, 50 and 200 requests at a
 * time, interleaved level by level in the same run: p50 and p99 of each, and Firebreak's p50 as a
 * multiple of Bolt's.
 */
export async function measureAckRatio(stack: LocalStack): Promise<string> {
  const bare = await startBareBolt(stack.secrets.signingSecret);
  const responseUrl = stack.slack.responseUrl();
  const body = slashCommandBody({ text: 'help', userId: 'U0BENCH001', channelId: 'C0GENERAL1', responseUrl });
  const send = (url: string) => async () => {
    const reply = await sendToBot(url, stack.secrets.signingSecret, body);
    if (reply.status !== 200) throw new Error(`ack answered ${reply.status}`);
  };
  try {
    for (const url of [bare.url, stack.bot.url]) await underLoad(200, 20, send(url)); // warm-up
    const rows: string[][] = [];
    for (const [concurrency, total] of [
      [1, 300],
      [50, 2000],
      [200, 4000],
    ] as const) {
      const bolt = summarize(await underLoad(total, concurrency, send(bare.url)));
      const ours = summarize(await underLoad(total, concurrency, send(stack.bot.url)));
      rows.push([
        String(concurrency),
        String(total),
        `${fixed(bolt.p50, 2)} / ${fixed(bolt.p99, 2)}`,
        `${fixed(ours.p50, 2)} / ${fixed(ours.p99, 2)}`,
        `${fixed(ours.p50 / bolt.p50, 2)}×`,
      ]);
    }
    return table(
      ['concurrent', 'requests', 'bare Bolt p50 / p99 ms', 'Firebreak p50 / p99 ms', 'p50 ratio'],
      rows,
    );
  } finally {
    await bare.stop();
  }
}
