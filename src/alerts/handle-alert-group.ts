import { setTimeout as sleep } from 'node:timers/promises';
import { attachAlert } from '../incidents/attach-alert.js';
import { findOpenIncident } from '../incidents/find-open-incident.js';
import type { IncidentAlert } from '../incidents/incident-alert.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import { openIncident } from '../incidents/open-incident.js';
import { type AlertEvent, recordAlertEvent } from '../incidents/record-alert-event.js';
import type { Logger } from '../logging/logger.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import type { AlertDelivery, KeptAlert } from './alert-delivery.js';
import type { AlertLedger } from './alert-ledger.js';
import { alertSeverity } from './alert-severity.js';
import { leadAlert } from './lead-alert.js';

export interface AlertGroupDeps {
  core: Pick<IncidentDeps, 'store' | 'runbooks' | 'timeline' | 'incidentQueue' | 'now' | 'log' | 'metrics'>;
  ledger: AlertLedger;
  metrics: Pick<FirebreakMetrics, 'alertsReceived' | 'alertGroupsHandled'>;
  log: Logger;
  /**
   * A group's unchanged re-sends add at most one "still firing" entry per window.
   * @defaultValue 60000 — Alertmanager's shipped group_interval
   */
  repeatWindowMs?: number;
  /** A claim pending longer than this belongs to an attempt that died; another takes it over. @defaultValue 30000 */
  staleClaimMs?: number;
  /** How long a delivery waits for the incident another attempt is opening, before retrying later. @defaultValue 2000 */
  waitMs?: number;
}

/** What handling a group's latest delivery did (the `outcome` of `firebreak_alert_groups_handled_total`). */
export type GroupOutcome =
  | 'opened'
  | 'attached'
  | 'updated'
  | 'resolved'
  | 'repeat'
  | 'quiet'
  | 'unmatched'
  | 'no-incident'
  | 'expired';

export interface GroupResult {
  outcome: GroupOutcome;
  incidentId?: string;
}

/** Claims that point at an incident no longer open are released and asked again; a few rounds at most. */
const MAX_ROUNDS = 5;
const MAX_SUMMARY = 500;

/** What the core keeps of the alert a group is handled by. */
function factsOf(alert: KeptAlert, delivery: AlertDelivery): IncidentAlert {
  const summary = alert.annotations.summary ?? alert.annotations.description;
  const severity = alertSeverity(alert.labels);
  return {
    name: alert.labels.alertname ?? 'alert',
    ...(summary ? { summary: summary.slice(0, MAX_SUMMARY) } : {}),
    labels: alert.labels,
    ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    startsAt: delivery.since ?? alert.startsAt,
    ...(severity ? { severity } : {}),
  };
}

/** The entry a known group's delivery adds, or none (an unchanged resolve, a repeat inside its window). */
function newsOf(
  delivery: AlertDelivery,
  alertname: string,
  change: 'changed' | 'repeat',
): AlertEvent | undefined {
  if (delivery.status === 'resolved') {
    if (change === 'repeat') return undefined;
    return {
      type: 'alert.resolved',
      alertname,
      alerts: delivery.resolved,
      resolvedAt: delivery.endedAt ?? delivery.receivedAt,
    };
  }
  return {
    type: 'alert.firing',
    alertname,
    firing: delivery.firing,
    resolved: delivery.resolved,
    since: delivery.since ?? delivery.receivedAt,
    repeat: change === 'repeat',
  };
}

/**
 * Handles the latest delivery of one Alertmanager group: one incident per group while it is open.
 * The group's first firing delivery opens an incident of the runbook that claims its alert, or joins
 * the open incident of that runbook's kind (another of its triggers: an `alert.attached` entry);
 * later deliveries add an entry when the group's news change (alerts joined, some or all resolved)
 * and at most one "still firing" entry per window otherwise. Safe under any concurrency, on any number
 * of replicas: the decision is one atomic claim in Redis ({@link AlertLedger.claim}). `owner` names the
 * attempt (the job id), so a retry of the same job finds its own unfinished claim.
 */
export async function handleAlertGroup(
  deps: AlertGroupDeps,
  groupId: string,
  owner: string,
): Promise<GroupResult> {
  const result = await handle(deps, groupId, owner);
  deps.metrics.alertGroupsHandled.inc({ outcome: result.outcome });
  return result;
}

async function handle(deps: AlertGroupDeps, groupId: string, owner: string): Promise<GroupResult> {
  const { core, ledger } = deps;
  const delivery = await ledger.readLatest(groupId);
  if (!delivery) return { outcome: 'expired' };
  const log = deps.log.child({ groupKey: delivery.groupKey });
  const lead = leadAlert(core.runbooks, delivery, deps.metrics, log);
  if (!lead) return { outcome: 'unmatched' };
  const kind = lead.runbook.kind;
  const facts = factsOf(lead.alert, delivery);
  const repeatWindowMs = deps.repeatWindowMs ?? 60_000;
  let waited = 0;

  for (let round = 0; round < MAX_ROUNDS; ) {
    const open = delivery.firing > 0 ? await findOpenIncident(core.store, kind) : undefined;
    const claim = await ledger.claim({
      groupId,
      kind,
      owner,
      ...(open ? { fallback: open.id } : {}),
      state: delivery.state,
      mayOpen: delivery.firing > 0,
      repeatWindowMs,
      nowMs: core.now().getTime(),
    });
    switch (claim.outcome) {
      case 'none':
        log.info({ kind }, 'a resolved alert group that no open incident knows; nothing to do');
        return { outcome: 'no-incident' };

      case 'wait': {
        if (core.now().getTime() - claim.sinceMs > (deps.staleClaimMs ?? 30_000)) {
          log.warn({ kind }, 'taking over an alert claim whose opening never finished');
          await ledger.release(groupId, kind, claim.token);
          round++;
          continue;
        }
        // Someone is between claiming and recording the incident (milliseconds): wait a little, and
        // past that let the queue retry, so a worker slot is not held.
        if (waited >= (deps.waitMs ?? 2000))
          throw new Error('the alert group is still being opened elsewhere');
        await sleep(25);
        waited += 25;
        continue;
      }

      case 'claimed': {
        let recorded: string | undefined;
        try {
          // The alert surface's own way in: an actor of its own (the alert, via alertmanager), never a
          // person, so limits meant for people typing /incident do not apply to one alert group.
          const incident = await openIncident(core, {
            kind,
            summary: facts.summary ?? `${facts.name} fired`,
            actor: { id: facts.name, via: 'alertmanager' },
            alert: facts,
            recorded: async (i) => {
              recorded = i.id;
              await ledger.settle(groupId, kind, claim.token, i.id);
            },
          });
          log.info({ incidentId: incident.id, alert: facts.name }, 'an alert opened an incident');
          return { outcome: 'opened', incidentId: incident.id };
        } catch (err) {
          // Nothing was opened (openIncident took it back): free the claim for the retry.
          await ledger.release(groupId, kind, claim.token).catch(() => false);
          if (recorded) await ledger.release(groupId, kind, recorded).catch(() => false);
          throw err;
        }
      }

      case 'joined': {
        const entry = await attachAlert(core, claim.incidentId, {
          alert: facts,
          firing: delivery.firing,
          since: facts.startsAt,
        });
        if (entry) {
          log.info({ incidentId: claim.incidentId, alert: facts.name }, 'an alert joined an open incident');
          return { outcome: 'attached', incidentId: claim.incidentId };
        }
        await ledger.release(groupId, kind, claim.incidentId);
        round++;
        continue;
      }

      case 'known': {
        const incidentId = claim.incidentId;
        const incident = await core.store.get(incidentId);
        if (!incident || incident.status === 'resolved') {
          // Resolved by people (or gone): the group's next firing is a new incident.
          await ledger.release(groupId, kind, incidentId);
          round++;
          continue;
        }
        if (claim.change === 'quiet') return { outcome: 'quiet', incidentId };
        const news = newsOf(delivery, facts.name, claim.change);
        if (!news) return { outcome: 'quiet', incidentId };
        await recordAlertEvent(core, incidentId, news);
        const outcome = news.type === 'alert.resolved' ? 'resolved' : news.repeat ? 'repeat' : 'updated';
        return { outcome, incidentId };
      }
    }
  }
  throw new Error(`the alert group's claim kept pointing at closed incidents (${MAX_ROUNDS} rounds)`);
}
