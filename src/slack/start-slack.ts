import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from '../http/health-routes.js';
import type { Route } from '../http/route.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import type { IncidentSurface } from '../incidents/incident-surface.js';
import { within } from '../lifecycle/within.js';
import type { SecretMask } from '../secrets/secret-mask.js';
import { ChannelPacer } from './channel-pacer.js';
import type { ClosingServices } from './closing-services.js';
import { createSlackApp } from './create-slack-app.js';
import { createDeliveryWorker } from './deliver-timeline.js';
import { guardedFetch } from './guarded-fetch.js';
import type { SlackMetrics } from './metered-web-client.js';
import {
  createSlackClient,
  type SlackIdentity,
  type SlackSettings,
  verifySlackIdentity,
} from './slack-identity.js';
import { createSlackIncidentSurface } from './slack-incident-surface.js';
import { SlackLedger } from './slack-ledger.js';
import { createSlackPeopleDirectory } from './slack-people-directory.js';

export interface SlackSurfaceOptions {
  settings: SlackSettings;
  /** User ids invited to every incident channel. */
  responders: readonly string[];
  announceChannel: string | undefined;
  /** Firebreak's Redis (the ledger's home) and a connection for BullMQ workers. */
  redis: Redis;
  workerConnection: Redis;
  prefix: string;
  /** Per-channel message pacing; tests shorten it. @defaultValue 1 message/s with a burst of 4 */
  pacer?: ChannelPacer;
  /** Secret values and credential shapes masked out of every request to Slack. */
  secretMask: SecretMask;
  /** What cards and headers may resolve: the variables without the secret ones. @defaultValue the core's vars */
  displayVars?: Readonly<Record<string, string | undefined>>;
  /** The recovery checklist and the postmortem: commands, buttons, the live checklist, the file. */
  closing: ClosingServices;
  /** Web API calls, 429s and ack latency (the process's registry). */
  metrics: SlackMetrics;
}

/** Slack as one surface of the bot: what the composition root mounts, starts and stops. */
export interface SlackSurface {
  surface: IncidentSurface;
  ledger: SlackLedger;
  /** `POST /slack/events` in HTTP mode; none in Socket Mode. */
  routes: Route[];
  /** A token Slack rejected makes the bot not ready; Slack merely unreachable does not. */
  readiness: ReadinessCheck;
  /** The timeline delivery worker: the thread, the cards, the header. */
  workers: Worker[];
  /** Socket Mode connects here; HTTP mode has nothing to start. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires Slack around the incident core: the Web API client and its background token check, the
 * ledger, the Bolt app (commands and buttons), the incident surface (channel, header, announcement)
 * and the delivery worker.
 */
export function createSlackSurface(core: IncidentDeps, options: SlackSurfaceOptions): SlackSurface {
  const { settings, log } = { ...options, log: core.log };
  const fetch = guardedFetch({
    apiUrl: settings.apiUrl,
    responseUrlHosts: settings.responseUrlHosts,
    mask: options.secretMask,
  });
  const client = createSlackClient(settings, log, options.metrics, fetch);
  // The approval policy is the core's; who is in a Slack user group is Slack's to say.
  core.policy.useDirectory(createSlackPeopleDirectory(client, log));
  const identity: SlackIdentity = { botToken: settings.botToken, status: 'unverified' };
  const ledger = new SlackLedger(options.redis, `${options.prefix}:`);
  const pacer = options.pacer ?? new ChannelPacer();
  const { app, receiver } = createSlackApp(
    settings,
    core,
    ledger,
    identity,
    log,
    options.closing,
    options.metrics,
    fetch,
  );
  const surface = createSlackIncidentSurface({
    client,
    ledger,
    pacer,
    runbooks: core.runbooks,
    responders: options.responders,
    announceChannel: options.announceChannel,
    log,
    vars: options.displayVars ?? core.vars,
    fetch,
  });
  const delivery = createDeliveryWorker(
    {
      client,
      store: core.store,
      ledger,
      runbooks: core.runbooks,
      pacer,
      log,
      vars: options.displayVars ?? core.vars,
      policy: core.policy,
      ...(options.announceChannel ? { announceChannel: options.announceChannel } : {}),
      checklist: options.closing.verification.checklist,
      postmortems: options.closing.postmortem.postmortems,
    },
    { connection: options.workerConnection, prefix: options.prefix },
  );
  let verification: { stop(): void } | undefined;
  return {
    surface,
    ledger,
    routes: receiver ? [receiver.route()] : [],
    readiness: {
      name: 'slack',
      check: async () => ({ ok: identity.status !== 'invalid', detail: identity.status }),
    },
    workers: [delivery],
    async start() {
      verification = verifySlackIdentity(client, identity, log);
      if (!receiver) await app.start();
    },
    async stop() {
      verification?.stop();
      await within(
        app.stop().catch((err) => log.warn({ err }, 'stopping the Slack app')),
        5000,
      );
    },
  };
}
