import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventCallbackBody, type FakeMessage, sendToBot } from '../../src/fake-slack/index.js';
import {
  ALICE,
  BOB,
  type BotHarness,
  cardWith,
  incidentThread,
  startHarness,
} from '../support/bot-harness.js';
import { parseMetrics, sampleValue } from '../support/parse-metrics.js';

const text = (value: unknown) => JSON.stringify(value);
const CAROL = 'U0CAROL003';

describe('closing on evidence, end to end: checklist, recovery, the human story, the postmortem file, metrics', () => {
  let h: BotHarness;
  let channelId: string;
  const checklistMessage = (thread: readonly FakeMessage[]) =>
    thread.find((m) => m.text.startsWith('Recovery checklist of'));

  beforeAll(async () => {
    h = await startHarness({ redisUrl: inject('redisUrl') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('the first successful mitigation posts the live checklist, every check pending or needing a person', async () => {
    await h.slash('503 checkout is down');
    const { channel, thread } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-circuit-breaker-nonessential')),
    );
    channelId = channel.id;
    for (const action of ['p1-emergency-rate-limit', 'p1-circuit-breaker-nonessential']) {
      await h.click(cardWith(thread, action), `approve-${action}`, BOB);
    }
    const { thread: now } = await incidentThread(h.slack, (t) => checklistMessage(t) !== undefined);
    const checklist = text(checklistMessage(now)?.blocks);
    expect(checklist).toContain('Recovery checklist');
    expect(checklist).toContain(':hourglass_flowing_sand: pending *HTTP 503 rate &lt; 1 %*');
    expect(checklist).toContain(':raising_hand: needs a person *Core features pass a manual test');
    expect(checklist).toContain('"action_id":"tick-check-check-core-features"');
  });

  it('/incident verify updates the same message in place; a tick by a person recovers the incident', async () => {
    // The sandbox drains the surge once both P1 controls are in: verify until the 5-minute checks are green.
    let answer = '';
    for (let tries = 0; tries < 20 && !answer.includes('3 passed'); tries++) {
      const verify = await h.slash('verify', { channel: channelId });
      const reply = await h.slack.waitFor(() =>
        h.slack.responses().find((r) => r.url === verify.responseUrl),
      );
      answer = text(reply.body);
      if (!answer.includes('3 passed')) await new Promise((r) => setTimeout(r, 500));
    }
    expect(answer).toContain('Checked 3: 3 passed, 0 failed, 0 unknown');
    const { thread } = await incidentThread(h.slack, (t) =>
      text(checklistMessage(t)?.blocks).includes(':white_check_mark: *HTTP 503 rate'),
    );
    expect(thread.filter((m) => m.text.startsWith('Recovery checklist of'))).toHaveLength(1);
    expect(h.slack.callsTo('chat.update').some((c) => c.args.ts === checklistMessage(thread)?.ts)).toBe(true);

    // A copy as it was: the fake updates its messages in place.
    const before = structuredClone(checklistMessage(thread) as FakeMessage);
    await h.click(before, 'tick-check-check-core-features', ALICE);
    const { header, thread: after } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.text.includes('*Recovered*')),
    );
    expect(after.some((m) => m.text.includes(`<@${ALICE}> ticked *Core features pass a manual test`))).toBe(
      true,
    );
    await h.slack.waitFor(
      () => text(h.slack.messages(channelId)[0]?.blocks).includes('*Recovered*') || undefined,
    );
    expect(header).toBeDefined();
    // The button is gone from the message; a click on an older copy records nothing twice.
    expect(text(checklistMessage(after)?.blocks)).not.toContain('tick-check-check-core-features');
    const again = await h.click(before, 'tick-check-check-core-features', BOB);
    const refusal = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === again.responseUrl));
    expect(text(refusal.body)).toContain('Already ticked by <@U0ALICE001>');
  });

  it('a note and a :pushpin:-ed message join the timeline with their authors, once however often Slack sends it', async () => {
    await h.slash('note Rate limit holds; errors dropping', { channel: channelId, user: BOB });
    const ts = h.slack.postAsUser(
      channelId,
      CAROL,
      'Customer <https://status.example|status page> says checkout fails since 09:58',
    );
    const event = h.slack.addReaction(channelId, ts, BOB, 'pushpin');
    const body = eventCallbackBody({ event: event as { type: string } });
    expect((await sendToBot(h.bot.url, h.secrets.signingSecret, body)).status).toBe(200);
    // Slack re-delivers the same event; and another reaction is no pin.
    await sendToBot(h.bot.url, h.secrets.signingSecret, body, { retry: { num: 1, reason: 'http_timeout' } });
    const eyes = h.slack.addReaction(channelId, ts, ALICE, 'eyes');
    await sendToBot(
      h.bot.url,
      h.secrets.signingSecret,
      eventCallbackBody({ event: eyes as { type: string } }),
    );
    // Lines that arrive together may share a message: read the thread line by line.
    const linesOf = (t: FakeMessage[]) => t.flatMap((m) => m.text.split('\n'));
    const { thread } = await incidentThread(h.slack, (t) =>
      linesOf(t).some((l) => l.startsWith(':pushpin:')),
    );
    expect(linesOf(thread).some((l) => l === `:memo: <@${BOB}>: Rate limit holds; errors dropping`)).toBe(
      true,
    );
    expect(linesOf(thread).filter((l) => l.startsWith(':pushpin:'))).toEqual([
      `:pushpin: <@${CAROL}> (pinned by <@${BOB}>): Customer status page (https://status.example) says checkout fails since 09:58`,
    ]);
  });

  it('/incident postmortem uploads the Markdown into the thread; the note and the pin are in it', async () => {
    const asked = await h.slash('postmortem', { channel: channelId });
    const reply = await h.slack.waitFor(
      () => h.slack.responses().find((r) => r.url === asked.responseUrl),
      20_000,
    );
    expect(text(reply.body)).toContain('written (version 1)');
    const file = await h.slack.waitFor(() => h.slack.files().find((f) => f.state === 'completed'), 10_000);
    const [header] = h.slack.messages(channelId);
    expect(file).toMatchObject({ channel: channelId, thread_ts: header?.ts });
    expect(file.name).toMatch(/^postmortem-\d{8}-503-[a-z0-9]{4}-v1\.md$/);
    expect(file.text).toContain('## Timeline (UTC)');
    expect(file.text).toContain('Note: Rate limit holds; errors dropping');
    expect(file.text).toContain(
      `Pinned message: Customer status page (https://status.example) says checkout fails since 09:58 (pinned by ${BOB}) | ${CAROL} (slack)`,
    );
    expect(file.text).toContain('Fully recovered: every first-tier check passed');
    expect(file.text).toContain('## Five whys');
    // Impact from the sandbox's Prometheus: when the 503s rose, how many, and their peak.
    expect(file.text).toContain('Incident started (first 503s) (the error rate’s first rise in Prometheus)');
    expect(file.text).toMatch(
      /\| Requests that failed with 503 during the incident \| [\d.]+ \| Prometheus: `sum\(increase\(http_requests_total\{status="503"\}\[\d+s\]\)\)` \|/,
    );
    expect(file.text).toMatch(/\| Peak error rate \| [\d.]+ \/s at \d{4}-\d\d-\d\d [\d:]+ \|/);
    // SQLITE_DB_PATH points at the sandbox's (empty) database: the SQL ran, read-only, and says what it found.
    expect(file.text).toContain(
      '| Users affected | — (no such table: api_logs) | SQL (api_logs, read-only) |',
    );
  });

  it('resolving asks for a reason while checks are pending, then writes the postmortem again on its own', async () => {
    // The mitigations' undo first: the resolve refuses over live mitigations before it looks at checks.
    for (const undo of ['normalize-rate-limit', 'normalize-circuit-breakers']) {
      const { thread } = await incidentThread(h.slack, () => true);
      await h.click(cardWith(thread, undo), `approve-${undo}`, ALICE);
    }
    await expect
      .poll(
        async () => {
          const id = await h.bot.ledger.incidentIn(channelId);
          const states = id ? await h.bot.deps.store.listActions(id) : [];
          return states.filter((s) => s.actionId.startsWith('normalize-') && s.status === 'succeeded').length;
        },
        { timeout: 15_000 },
      )
      .toBe(2);
    const early = await h.slash('resolve', { channel: channelId });
    const asked = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === early.responseUrl));
    expect(text(asked.body)).toContain('recovery check(s) are not green');
    expect(text(asked.body)).toContain('*CPU usage &lt; 70 %* — pending');
    await h.slash('resolve the 30-minute and 1-hour checks are not due yet', { channel: channelId });
    const second = await h.slack.waitFor(
      () => h.slack.files().find((f) => f.name.endsWith('-v2.md') && f.state === 'completed'),
      20_000,
    );
    expect(second.text).toContain('Reason: the 30-minute and 1-hour checks are not due yet');
    expect(second.text).toContain('status resolved');
  });

  it('Slack refusing the file holds nothing back: the next entries still reach the thread', async () => {
    h.slack.failNext('files.getUploadURLExternal', { error: 'missing_scope' });
    const asked = await h.slash('postmortem', { channel: channelId });
    const reply = await h.slack.waitFor(
      () => h.slack.responses().find((r) => r.url === asked.responseUrl),
      20_000,
    );
    expect(text(reply.body)).toContain('written (version 3)');
    await h.slash('note after the refused upload', { channel: channelId });
    await incidentThread(h.slack, (t) => t.some((m) => m.text.includes('after the refused upload')));
    expect(h.slack.files().some((f) => f.name.endsWith('-v3.md'))).toBe(false);
    expect(h.logs()).toContain('Slack refused the postmortem file');
  });

  it('/metrics parses and counts what happened', async () => {
    const { samples, types } = parseMetrics(await (await fetch(`${h.bot.url}/metrics`)).text());
    expect(sampleValue(samples, 'firebreak_incidents_opened_total', { kind: '503', source: 'slack' })).toBe(
      1,
    );
    expect(sampleValue(samples, 'firebreak_incidents_resolved_total', { kind: '503', source: 'slack' })).toBe(
      1,
    );
    for (const name of ['acknowledge', 'mitigate', 'recover']) {
      expect(types.get(`firebreak_incident_time_to_${name}_seconds`)).toBe('histogram');
      expect(sampleValue(samples, `firebreak_incident_time_to_${name}_seconds_count`, { kind: '503' })).toBe(
        1,
      );
    }
    expect(
      sampleValue(samples, 'firebreak_action_executions_total', { executor: 'http', outcome: 'succeeded' }),
    ).toBe(3);
    expect(
      sampleValue(samples, 'firebreak_action_executions_total', {
        executor: 'sequence',
        outcome: 'succeeded',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'firebreak_checklist_results_total', {
        kind: '503',
        check: 'check-core-features',
        result: 'passed',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'firebreak_checklist_results_total', {
        kind: '503',
        check: 'check-503-ratio',
        result: 'passed',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(types.get('firebreak_probe_duration_seconds')).toBe('histogram');
    expect(
      sampleValue(samples, 'firebreak_probe_duration_seconds_count', { kind: 'http', outcome: 'ok' }),
    ).toBeGreaterThan(0);
  });
});
