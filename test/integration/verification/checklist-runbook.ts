// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';

/**
 * A small runbook with a recovery checklist: one probe against `${TARGET_URL}/ping`, a mitigation, a
 * normalization, and checks at 5 min (one measured, one by hand) and 30 min.
 */
export function checklistRunbook(): Runbook {
  return runbookSchema.parse({
    kind: 'chk',
    title: 'Checklist incident',
    probes: [
      { id: 'ping', title: 'Ping', check: { type: 'http', url: '${TARGET_URL}/ping' }, timeout: '2s' },
    ],
    groups: [
      { id: 'P1', title: 'First' },
      { id: 'normalize', title: 'After recovery', offer: 'after-recovery' },
    ],
    actions: [
      {
        id: 'act',
        title: 'Act',
        group: 'P1',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/act' },
      },
      {
        id: 'undo-act',
        title: 'Undo act',
        group: 'normalize',
        run: { type: 'http', method: 'POST', url: '${TARGET_URL}/undo' },
      },
    ],
    checklist: [
      {
        id: 'check-ping',
        title: 'Ping answers',
        within: '5m',
        condition: { probe: 'ping', verdict: ['ok'] },
      },
      { id: 'check-by-hand', title: 'Tested by hand', within: '5m' },
      {
        id: 'check-later',
        title: 'Ping still answers',
        within: '30m',
        condition: { probe: 'ping', verdict: ['ok'] },
      },
    ],
  });
}
