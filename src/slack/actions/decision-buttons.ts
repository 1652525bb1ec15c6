import type { App, BlockButtonAction } from '@slack/bolt';
import { approveAction, type DecisionResult, skipAction } from '../../incidents/decide-action.js';
import type { IncidentDeps } from '../../incidents/incident-deps.js';
import type { FirebreakMetrics } from '../../metrics/metrics.js';
import { explainFailure } from '../explain-failure.js';
import { decodeButtonValue } from '../render/render-action-card.js';

function explain(result: DecisionResult): string | undefined {
  switch (result.kind) {
    case 'approved':
    case 'skipped':
      return undefined; // the card and the thread show it to everyone
    case 'refused':
      return `:no_entry: Not done: ${result.reason}.`;
    case 'already-decided': {
      const s = result.state;
      if (!s) return ':information_source: This button is out of date; nothing was done.';
      const by = s.decidedBy ? ` by <@${s.decidedBy}>` : '';
      return `:information_source: Already ${s.status === 'skipped' ? 'skipped' : `approved (${s.status})`}${by}; nothing was done twice.`;
    }
  }
}

/**
 * Approve / Skip buttons. The ack is immediate; the once-only guard is in Redis (decide-action.ts),
 * because an early ack does not stop people clicking again when Slack looks slow.
 */
export function registerDecisionButtons(app: App, deps: IncidentDeps, metrics: FirebreakMetrics): void {
  const handler =
    (decide: typeof approveAction) =>
    async ({
      ack,
      body,
      action,
      respond,
    }: Parameters<Parameters<typeof app.action<BlockButtonAction>>[1]>[0]) => {
      await ack();
      const value = decodeButtonValue(action.value);
      const channelId = body.channel?.id ?? body.container?.channel_id;
      if (!value || !channelId) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: ':warning: This button is malformed; nothing was done.',
        });
        return;
      }
      try {
        const result = await decide(deps, {
          incidentId: value.i,
          actionId: value.a,
          seenAttempts: value.n,
          userId: body.user.id,
          channelId,
        });
        metrics.decisions.inc({ decision: result.kind });
        const text = explain(result);
        if (text) await respond({ response_type: 'ephemeral', replace_original: false, text });
      } catch (err) {
        deps.log.error({ err, incidentId: value.i, actionId: value.a }, 'decision failed');
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `:x: Could not record your decision: ${explainFailure(err)}. Nothing ran; try again in a moment.`,
        }).catch(() => undefined);
      }
    };
  app.action<BlockButtonAction>(/^approve-/, handler(approveAction));
  app.action<BlockButtonAction>(/^skip-/, handler(skipAction));
}
