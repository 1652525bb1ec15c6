import { describe, expect, it } from 'vitest';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import { runbookSchema, undoIdOf } from '../../../src/runbooks/runbook-schema.js';
import { actionsWithoutUndo } from '../../../src/runbooks/undo-coverage.js';

const catalog = await loadRunbooks('commands');

describe('every action of every shipped runbook has a way back, or says why not', () => {
  for (const runbook of catalog.values()) {
    it(`${runbook.kind}: no state-changing action without an undo or undo: { none: <reason> }`, () => {
      expect(actionsWithoutUndo(runbook).map((a) => a.id)).toEqual([]);
      for (const action of runbook.actions) {
        if (action.undo && typeof action.undo === 'object') {
          expect(action.undo.none.split(' ').length, action.id).toBeGreaterThanOrEqual(5);
        }
      }
    });

    it(`${runbook.kind}: an undo that reads a captured value has an action that captures it`, () => {
      for (const action of runbook.actions) {
        const undone = runbook.actions.filter((a) => undoIdOf(a) === action.id);
        const captured = new Set(undone.flatMap((a) => (a.capture ?? []).map((c) => c.as)));
        const reads = [...JSON.stringify(action.run).matchAll(/\$\{(PREVIOUS_[A-Z0-9_]+)\}/g)].map(
          (m) => m[1],
        );
        for (const name of reads) expect(captured, `${action.id} reads ${name}`).toContain(name);
      }
    });
  }

  it('finds an action that names neither, and accepts the three ways of answering', () => {
    const runbook = runbookSchema.parse({
      kind: 'check',
      title: 'Check',
      probes: [{ id: 'p', title: 'P', check: { type: 'host', metric: 'cpu' } }],
      groups: [
        { id: 'P1', title: 'Act' },
        { id: 'normalize', title: 'After recovery', offer: 'after-recovery' },
      ],
      actions: [
        { id: 'forgot', title: 'Forgot', group: 'P1', run: { type: 'wait', duration: '1s' } },
        { id: 'named', title: 'Named', group: 'P1', run: { type: 'wait', duration: '1s' }, undo: 'back' },
        {
          id: 'none',
          title: 'None',
          group: 'P1',
          run: { type: 'wait', duration: '1s' },
          undo: { none: 'a wait changes nothing at all' },
        },
        { id: 'back', title: 'Back', group: 'normalize', run: { type: 'wait', duration: '1s' } },
      ],
    });
    expect(actionsWithoutUndo(runbook).map((a) => a.id)).toEqual(['forgot']);
  });

  it('refuses undo: { none } without a reason', () => {
    const parsed = runbookSchema.safeParse({
      kind: 'check',
      title: 'Check',
      probes: [{ id: 'p', title: 'P', check: { type: 'host', metric: 'cpu' } }],
      groups: [{ id: 'P1', title: 'Act' }],
      actions: [
        { id: 'a', title: 'A', group: 'P1', run: { type: 'wait', duration: '1s' }, undo: { none: ' ' } },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('say in a sentence why this action has no undo');
  });
});
