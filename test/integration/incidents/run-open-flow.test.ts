import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFakeSlack, type FakeSlack } from '../../../src/fake-slack/index.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { INCIDENT_QUEUE } from '../../../src/incidents/incident-queue.js';
import { createIncidentWorker } from '../../../src/incidents/incident-worker.js';
import { openIncident } from '../../../src/incidents/open-incident.js';
import { runOpenFlow } from '../../../src/incidents/run-open-flow.js';
import { SecretMask } from '../../../src/secrets/secret-mask.js';
import { createAnnounceQueue } from '../../../src/slack/announce-queue.js';
import { ChannelPacer } from '../../../src/slack/channel-pacer.js';
import { guardedFetch } from '../../../src/slack/guarded-fetch.js';
import { createSlackIncidentSurface } from '../../../src/slack/slack-incident-surface.js';
import { SlackLedger } from '../../../src/slack/slack-ledger.js';
import { SlackOutbound } from '../../../src/slack/slack-outbound.js';
import { createTimelineRecorder } from '../../../src/timeline/timeline-recorder.js';
import { ALICE, createFixture, type Fixture, slackUser } from './incident-fixture.js';

const TOKEN = 'xoxb-open-flow-test';
let slack: FakeSlack;
let slackUrl: string;
beforeAll(async () => {
  slack = createFakeSlack({ botToken: TOKEN });
  slackUrl = await slack.start();
});
afterAll(async () => {
  await slack.stop();
});

let f: Fixture;

const ledgerOf = (fixture: Fixture) => new SlackLedger(fixture.redis, `${fixture.prefix}:`);

/** The real Slack side of the opening, talking to the fake Web API over HTTP. */
function slackSurface(fixture: Fixture, ledger = ledgerOf(fixture), responders: string[] = []) {
  const client = new WebClient(TOKEN, { slackApiUrl: slackUrl, retryConfig: { retries: 0 } });
  return createSlackIncidentSurface({
    outbound: new SlackOutbound({ client, pacer: new ChannelPacer(1, 100), log: fixture.deps.log }),
    ledger,
    announcements: createAnnounceQueue(fixture.redis, `{${fixture.prefix}:announcements}`),
    botUserId: () => slack.botUserId,
    runbooks: fixture.deps.runbooks,
    responders,
    announceChannel: undefined,
    log: fixture.deps.log,
    vars: {},
    fetch: guardedFetch({
      apiUrl: slackUrl,
      responseUrlHosts: [new URL(slackUrl).host],
      mask: new SecretMask(),
    }),
  });
}

afterEach(async () => {
  await f?.close();
});

/**
 * The store (or the Slack ledger), except that the first call matching `when` fails as if Redis had
 * dropped: the moment between two steps of the opening that a retry must survive without doing a
 * step twice.
 */
function failingOnce<T extends object>(target: T, when: (method: string, args: unknown[]) => boolean): T {
  let failed = false;
  return new Proxy(target, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!failed && when(String(prop), args)) {
          failed = true;
          return Promise.reject(new Error('Connection is closed.'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const progressPatch = (step: string) => (method: string, args: unknown[]) =>
  method === 'patch' && (args[1] as { progress?: Record<string, boolean> }).progress?.[step] === true;

type Failure = [where: 'store' | 'ledger', when: (method: string, args: unknown[]) => boolean];

describe('runOpenFlow', () => {
  it.each<[string, Failure]>([
    [
      'after the header, before its timeline entry',
      [
        'store',
        (m: string, a: unknown[]) =>
          m === 'appendTimeline' && (a[1] as { type: string }).type === 'incident.opened',
      ],
    ],
    ['after the invitations, before marking them', ['ledger', (m: string) => m === 'markInvited']],
    ['after the snapshot entry, before marking the diagnosis done', ['store', progressPatch('diagnosed')]],
    ['after the action cards, before marking them offered', ['store', progressPatch('offered')]],
  ])('fails %s, and the retry does every step once', async (_when, [where, when]) => {
    f = await createFixture(inject('redisUrl'), { vars: { TARGET_URL: 'http://127.0.0.1:1' } });
    const store = where === 'store' ? failingOnce(f.store, when) : f.store;
    const ledger = where === 'ledger' ? failingOnce(ledgerOf(f), when) : ledgerOf(f);
    const deps = { ...f.deps, store, timeline: createTimelineRecorder(store, f.deliveryQueue, f.deps.log) };
    const flow = { surface: slackSurface(f, ledger, ['U0RESP0001']), announce: true };
    const incident = await openIncident(deps, { kind: 'test', summary: 'it broke', actor: slackUser(ALICE) });

    await expect(runOpenFlow(deps, flow, incident.id)).rejects.toThrow('Connection is closed.');
    await runOpenFlow(deps, flow, incident.id);
    // A third run (a duplicate delivery of the job) changes nothing either.
    await runOpenFlow(deps, flow, incident.id);

    const opened = await f.store.get(incident.id);
    expect(opened).toMatchObject({
      status: 'investigating',
      progress: { prepared: true, announced: true, diagnosed: true, offered: true },
    });
    const slackSide = await ledgerOf(f).read(incident.id);
    expect(slackSide).toMatchObject({ invited: true, headerTs: expect.any(String) });
    const entries = (await f.store.readTimeline(incident.id)).map((e) =>
      e.type === 'actions.offered'
        ? `${e.type}:${e.groupId}`
        : e.type === 'incident.status'
          ? `${e.type}:${e.to}`
          : e.type,
    );
    expect(entries).toEqual([
      'incident.opened',
      'diagnosis.completed',
      'actions.offered:P1',
      'actions.offered:P2',
      'incident.status:investigating',
    ]);
    const channelId = slackSide.channel?.id as string;
    expect(
      slack.callsTo('conversations.create').filter((c) => c.ok && c.args.name === slackSide.channel?.name),
    ).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channelId)).toHaveLength(1);
    expect(slack.messages(channelId)).toHaveLength(1);
  });
});

describe('the incident worker', () => {
  it('gives up after every retry: closes the incident with the reason and tells the requester', async () => {
    f = await createFixture(inject('redisUrl'));
    const ledger = ledgerOf(f);
    const flow = { surface: slackSurface(f, ledger), announce: true };
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    const worker = createIncidentWorker(f.deps, flow, {
      connection,
      prefix: f.core.queuePrefix(INCIDENT_QUEUE),
    });
    try {
      // Slack fails every channel creation for longer than the job's retries last.
      slack.failNext('conversations.create', { status: 500 }, 10);
      const responseUrl = slack.responseUrl({ channelId: 'C0GENERAL1', userId: ALICE });
      const incident: Incident = {
        id: `20261125-test-${f.prefix.slice(-4)}`,
        kind: 'test',
        title: 'Test incident',
        summary: '',
        severity: 'major',
        status: 'opening',
        openedBy: ALICE,
        openedVia: 'slack',
        openedAt: new Date().toISOString(),
        progress: {},
      };
      await f.store.create(incident);
      await ledger.saveOrigin(incident.id, { channelId: 'C0GENERAL1', responseUrl });
      await f.incidentQueue.add(
        'open',
        { incidentId: incident.id },
        { jobId: `open-${incident.id}`, attempts: 2, backoff: { type: 'fixed', delay: 10 } },
      );

      const answer = await slack.waitFor(() => slack.responses().find((r) => r.url === responseUrl), 10_000);
      expect(JSON.stringify(answer.body)).toContain(`Incident *${incident.id}* could not be opened`);
      const closed = await f.store.get(incident.id);
      expect(closed?.status).toBe('resolved');
      const notes = (await f.store.readTimeline(incident.id)).filter((e) => e.type === 'note');
      expect(JSON.stringify(notes)).toContain('gave up after every retry');
      expect(await f.store.listOpen()).toEqual([]);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });
});
