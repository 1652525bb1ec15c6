// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fuzz sends runbook-style ${VAR} text on purpose.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { slashCommandBody } from '../../src/fake-slack/index.js';
import { ALICE, BOB, type BotHarness, GENERAL, startHarness } from '../support/bot-harness.js';
import { errorLines, fuzzRuns, fuzzTimeoutMs, signedPost, startTrap } from './security-support.js';

/**
 * `/incident <anything>`, signed, from anyone, in any channel: the bot answers every one (200, or
 * 400 when the response_url is not Slack's), never crashes, executes nothing, opens no more
 * incidents than its limits allow, and leaves none of them stuck in `opening`.
 */
let h: BotHarness;
let trap: Awaited<ReturnType<typeof startTrap>>;
const GLOBAL_LIMIT = 8;
beforeAll(async () => {
  h = await startHarness({
    redisUrl: inject('redisUrl'),
    env: { INCIDENT_OPEN_LIMIT_GLOBAL: `${GLOBAL_LIMIT}/10m`, INCIDENT_APPROVERS: 'U0APPROVE1' },
  });
  trap = await startTrap();
});
afterAll(async () => {
  await h?.stop();
  await trap?.close();
});

const WORDS = [
  '503',
  'redis-memory',
  'status',
  'list',
  'resolve',
  'force',
  '--force',
  'help',
  'STATUS',
  'Resolve',
  '',
  ' ',
  '\n',
  '\t',
  '<!channel>',
  '<!here|here>',
  '<@U0ALICE001>',
  '<#C0GENERAL1>',
  '*bold*',
  '`code`',
  '```',
  'xoxb-1234567890-abcdefghij',
  '${ADMIN_TOKEN}',
  '$${X}',
  '; rm -rf /',
  '$(reboot)',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\u202e',
  '\ufeff',
  '🔥',
  'Ω'.repeat(60),
  "'",
  '"',
  '\\',
  'x'.repeat(600),
];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(' ')) },
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 4000 }),
);
const userId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(ALICE, BOB) },
  fc.constantFrom('', ' ', 'U', '\u0000'),
  fc.string({ maxLength: 20 }),
  fc.stringMatching(/^[UW][A-Z0-9]{8,10}$/),
);
const channelId = fc.oneof({ weight: 3, arbitrary: fc.constant(GENERAL) }, fc.string({ maxLength: 12 }));
const toTrap = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);

it(
  'answers every command text from anyone, executes nothing, and leaves nothing stuck',
  async () => {
    const statuses = new Map<number, number>();
    const runs = fuzzRuns();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(text, userId, channelId, toTrap, async (words, user, channel, evil) => {
        const responseUrl = evil
          ? `${trap.url}/r`
          : h.slack.responseUrl({ channelId: GENERAL, userId: ALICE });
        const body = slashCommandBody({ text: words, userId: user, channelId: channel, responseUrl });
        const reply = await signedPost(h, body);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        expect(reply.status).toBe(evil ? 400 : 200);
      }),
      { numRuns: runs },
    );
    const ms = performance.now() - started;
    console.info(
      `fuzz-commands: ${runs} cases in ${(ms / 1000).toFixed(1)} s, statuses ${JSON.stringify([...statuses])}`,
    );

    const store = h.bot.deps.store;
    // Every incident the fuzz opened finishes opening; the global limit held.
    await expect
      .poll(async () => (await store.listRecent(1000)).filter((i) => i.status === 'opening').length, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(0);
    expect((await store.listRecent(1000)).length).toBeLessThanOrEqual(GLOBAL_LIMIT);
    for (const incident of await store.listRecent(1000)) {
      for (const state of await store.listActions(incident.id)) {
        expect(['offered', 'skipped']).toContain(state.status);
      }
    }
    expect(h.sandbox.adminCalls).toEqual([]);
    expect(trap.requests).toEqual([]);
    expect((await fetch(`${h.bot.url}/readyz`)).status).toBe(200);
    expect(errorLines(h.logs())).toEqual([]);
  },
  fuzzTimeoutMs(),
);
