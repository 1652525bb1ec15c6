import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { ReadinessCheck } from '../http/health-routes.js';
import type { Route } from '../http/route.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import type { IncidentSurface } from '../incidents/incident-surface.js';
import { within } from '../lifecycle/within.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import type { SecretMask } from '../secrets/secret-mask.js';
import { ANNOUNCE_QUEUE, createAnnounceQueue, createAnnounceWorker } from './announce-queue.js';
import { ChannelPacer } from './channel-pacer.js';
import type { ClosingServices } from './closing-services.js';
import { createSlackApp } from './create-slack-app.js';
import { createDeliveryWorker } from './deliver-timeline.js';
import { guardedFetch } from './guarded-fetch.js';
import type { SlackMetrics } from './metered-web-client.js';
import { section } from './render/blocks.js';
import {
  createSlackClient,
  type SlackIdentity,
  type SlackSettings,
  verifySlackIdentity,
} from './slack-identity.js';
import { createSlackIncidentSurface } from './slack-incident-surface.js';
import { SlackLedger } from './slack-ledger.js';
import { SlackOutbound } from './slack-outbound.js';
import { createSlackPeopleDirectory } from './slack-people-directory.js';

export interface SlackSurfaceOptions {
  settings: SlackSettings;
  /** User ids invited to every incident channel. */
  responders: readonly string[];
  announceChannel: string | undefined;
  /** Firebreak's Redis (the ledger's home, the shared pace) and a connection for BullMQ workers. */
  redis: Redis | Cluster;
  workerConnection: Redis | Cluster;
  prefix: string;
  /** The BullMQ prefix of a queue (hash-tagged for Redis Cluster; see build-core). */
  queuePrefix(queue: string): string;
  /** The timeline delivery worker's own BullMQ prefix. */
  deliveryPrefix: string;
  /**
   * Per-channel message pace; its count is kept in Redis for every replica. Tests shorten it.
   * @defaultValue 1 message/s with a burst of 4
   */
  pacer?: ChannelPacer;
  /** How long one Web API call may take before its outcome counts as unknown. @defaultValue 10000 */
  apiTimeoutMs?: number;
  /** The recovery checklist and the postmortem: commands, buttons, the live checklist, the file. */
  closing: ClosingServices;
  /** Web API calls, 429s and ack latency, and the announcement queue's depth (the process's registry). */
  metrics: SlackMetrics & Pick<FirebreakMetrics, 'queueJobs'>;
  /** Secret values and credential shapes masked out of every request to Slack. */
  secretMask: SecretMask;
  /** What cards and headers may resolve: the variables without the secret ones. @defaultValue the core's vars */
  displayVars?: Readonly<Record<string, string | undefined>>;
}

/** Slack as one surface of the bot: what the composition root mounts, starts and stops. */
export interface SlackSurface {
  surface: IncidentSurface;
  ledger: SlackLedger;
  /** Every Web API call goes through it (pace, retries, no double post). */
  outbound: SlackOutbound;
  /** `POST /slack/events` in HTTP mode; none in Socket Mode. */
  routes: Route[];
  /** A token Slack rejected makes the bot not ready; Slack merely unreachable does not. */
  readiness: ReadinessCheck;
  /** The timeline delivery worker (thread, cards, header) and the announcement worker. */
  workers: Worker[];
  /** Tells the announce channel something every responder must know (Redis lost its data). */
  alert(text: string): Promise<void>;
  /** Socket Mode connects here; HTTP mode has nothing to start. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires Slack around the incident core: the Web API client behind the outbound layer and its
 * background token check, the ledger, the Bolt app (commands and buttons), the incident surface
 * (channel, header, announcement) and the delivery and announcement workers.
 */
export function createSlackSurface(core: IncidentDeps, options: SlackSurfaceOptions): SlackSurface {
  const { settings, log } = { ...options, log: core.log };
  const prefix = `${options.prefix}:`;
  // Every request of this surface goes through it: Slack's hosts only, bodies masked.
  const fetch = guardedFetch({
    apiUrl: settings.apiUrl,
    responseUrlHosts: settings.responseUrlHosts,
    mask: options.secretMask,
  });
  const client = createSlackClient(settings, log, options.metrics, {
    fetch,
    ...(options.apiTimeoutMs !== undefined ? { timeoutMs: options.apiTimeoutMs } : {}),
  });
  // The approval policy is the core's; who is in a Slack user group is Slack's to say.
  core.policy.useDirectory(createSlackPeopleDirectory(client, log));
  const identity: SlackIdentity = { botToken: settings.botToken, status: 'unverified' };
  const ledger = new SlackLedger(options.redis, prefix);
  const pacer = (options.pacer ?? new ChannelPacer()).shared(options.redis, prefix);
  const outbound = new SlackOutbound({ client, pacer, log });
  const { app, receiver } = createSlackApp(
    settings,
    core,
    ledger,
    identity,
    log,
    options.closing,
    options.metrics,
    options.redis,
    prefix,
    fetch,
  );
  const announcePrefix = options.queuePrefix(ANNOUNCE_QUEUE);
  const announcements = createAnnounceQueue(options.redis, announcePrefix);
  announcements.on('error', (err) => log.debug({ err: { message: err.message } }, 'queue connection error'));
  options.metrics.queueJobs.watch(announcements);
  const surface = createSlackIncidentSurface({
    outbound,
    ledger,
    announcements,
    botUserId: () => identity.botUserId,
    runbooks: core.runbooks,
    responders: options.responders,
    announceChannel: options.announceChannel,
    log,
    vars: options.displayVars ?? core.vars,
    fetch,
  });
  const workers: Worker[] = [
    createDeliveryWorker(
      {
        outbound,
        store: core.store,
        ledger,
        runbooks: core.runbooks,
        log,
        vars: options.displayVars ?? core.vars,
        policy: core.policy,
        ...(options.announceChannel ? { announceChannel: options.announceChannel } : {}),
        checklist: options.closing.verification.checklist,
        postmortems: options.closing.postmortem.postmortems,
      },
      { connection: options.workerConnection, prefix: options.deliveryPrefix },
    ),
  ];
  if (options.announceChannel) {
    workers.push(
      createAnnounceWorker(
        { outbound, store: core.store, ledger, announceChannel: options.announceChannel, log },
        { connection: options.workerConnection, prefix: announcePrefix },
      ),
    );
  }
  let verification: { stop(): void } | undefined;
  return {
    surface,
    ledger,
    outbound,
    routes: receiver ? [receiver.route()] : [],
    readiness: {
      name: 'slack',
      check: async () => ({ ok: identity.status !== 'invalid', detail: identity.status }),
    },
    workers,
    async alert(text) {
      if (!options.announceChannel) return;
      await outbound.post({
        channel: options.announceChannel,
        message: { text, blocks: [section(text)] },
        key: `alert/${Date.now()}`,
      });
    },
    async start() {
      // Through the outbound layer: a 429 or a 5xx at start is retried like any other safe call.
      verification = verifySlackIdentity(
        { auth: { test: () => outbound.call('auth.test', (c) => c.auth.test(), { safe: true }) } } as Pick<
          typeof client,
          'auth'
        >,
        identity,
        log,
      );
      if (!receiver) await app.start();
    },
    async stop() {
      verification?.stop();
      await within(
        app.stop().catch((err) => log.warn({ err }, 'stopping the Slack app')),
        5000,
      );
      await within(announcements.close(), 2000);
    },
  };
}
