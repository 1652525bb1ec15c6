import { describe, expect, it } from 'vitest';
import type { ActionState } from '../../../../src/incidents/action-state.js';
import {
  type CardContext,
  groupsToShow,
  MAX_BLOCKS,
  packCards,
} from '../../../../src/slack/cards/card-plan.js';
import { renderCardMessage } from '../../../../src/slack/cards/render-card-message.js';
import { diagnosis, incident, runbook } from '../render/render-fixtures.js';

function context(overrides: Partial<CardContext> = {}, states: ActionState[] = []): CardContext {
  return {
    incident: incident(),
    runbook: runbook(),
    states: new Map(states.map((s) => [s.actionId, s])),
    diagnosis: diagnosis(),
    revealed: false,
    ...overrides,
  };
}

describe('which cards are worth a message now', () => {
  it('shows the priority groups at once, a scenario when diagnosed, the undo steps once something was applied', () => {
    const all = ['P1', 'S1', 'N'];
    const scenarios = (matched: boolean) => [{ scenarioId: 'resource-exhaustion', matched }] as never;
    expect(
      groupsToShow(all, context({ diagnosis: { ...diagnosis(), scenarios: scenarios(false) } })),
    ).toEqual(['P1']);
    expect(groupsToShow(all, context({ diagnosis: { ...diagnosis(), scenarios: scenarios(true) } }))).toEqual(
      ['P1', 'S1'],
    );
    const applied: ActionState = { actionId: 'p1-rate-limit', groupId: 'P1', status: 'succeeded' };
    expect(
      groupsToShow(all, context({ diagnosis: { ...diagnosis(), scenarios: scenarios(false) } }, [applied])),
    ).toEqual(['P1', 'N']);
    expect(groupsToShow(all, context({ revealed: true }))).toEqual(all);
    // A closed incident gets no new cards.
    expect(
      groupsToShow(all, context({ incident: incident({ status: 'resolved' }), revealed: true })),
    ).toEqual([]);
  });

  it('packs cards within 50 blocks at the size they can grow to, in order', () => {
    const book = runbook();
    expect(packCards(book, ['P1', 'S1', 'N'])).toEqual([['P1', 'S1', 'N']]);
    const many = Array.from({ length: 30 }, () => 'P1');
    const packed = packCards(book, many);
    // P1 has 2 actions: 9 blocks at most, 10 with its divider; 48 blocks leave room for 4 of them.
    expect(packed.every((m) => m.length <= 4)).toBe(true);
    expect(packed.flat()).toHaveLength(30);
  });

  it('renders several cards in one message, dividers between, and lists the held-back ones under a button', () => {
    const message = renderCardMessage(context(), ['P1'], ['S1', 'N'], {});
    expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    const last = message.blocks.at(-1) as {
      type: string;
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(last.type).toBe('actions');
    expect(last.elements[0]).toMatchObject({ action_id: 'reveal-cards', value: incident().id });
    expect(JSON.stringify(message.blocks)).toContain('Not shown yet');
    const two = renderCardMessage(context({ revealed: true }), ['P1', 'S1'], [], {});
    expect(two.blocks.filter((b) => b.type === 'divider')).toHaveLength(1);
    expect(JSON.stringify(two.blocks)).not.toContain('reveal-cards');
    expect(two.text.split('\n')).toHaveLength(2);
  });
});
