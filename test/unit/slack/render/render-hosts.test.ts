import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { WorkerView } from '../../../../src/incidents/worker-fleet.js';
import { type Runbook, runbookSchema } from '../../../../src/runbooks/runbook-schema.js';
import { workersCommand } from '../../../../src/slack/commands/workers-command.js';
import { renderActionCard } from '../../../../src/slack/render/render-action-card.js';
import { renderSnapshot } from '../../../../src/slack/render/render-snapshot.js';
import { renderTimelineLine } from '../../../../src/slack/render/render-timeline-entry.js';
import { renderWorkers } from '../../../../src/slack/render/render-workers.js';
import { builtContext, input } from '../commands/command-context-fixture.js';
import { diagnosis, incident, result, state, states } from './render-fixtures.js';

/** A runbook whose actions run on host roles: one generation host, or each in turn. */
function placed(): Runbook {
  return runbookSchema.parse({
    kind: '503',
    title: 'HTTP 503 error spike',
    probes: [{ id: 'cpu', title: 'CPU usage', on: 'generation', check: { type: 'host', metric: 'cpu' } }],
    groups: [{ id: 'P2', title: 'Resource recovery' }],
    actions: [
      {
        id: 'clean-temp',
        title: 'Delete old temp files',
        group: 'P2',
        on: 'generation',
        run: { type: 'process', command: ['find', '/tmp', '-name', 'ai-script-*', '-delete'] },
      },
      {
        id: 'restart',
        title: 'Restart the generation service',
        group: 'P2',
        on: { role: 'generation', each: true },
        run: { type: 'process', command: ['systemctl', 'restart', 'ai-script-generation-service'] },
      },
    ],
  });
}

const DECIDED = {
  decidedBy: 'U0BOB00002',
  decidedVia: 'slack' as const,
  decidedAt: '2026-11-25T02:01:00.000Z',
};

/** The card's text blocks in order, one string each. */
function lines(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section' && b.text) return [b.text.text];
    if (b.type === 'context') return [(b.elements as Array<{ text: string }>).map((e) => e.text).join(' ')];
    return [];
  });
}

const card = (...list: ReturnType<typeof state>[]) =>
  lines(
    renderActionCard({
      incident: incident(),
      runbook: placed(),
      groupId: 'P2',
      states: states(...list),
      diagnosis: undefined,
    }).blocks,
  );

describe('cards of actions placed on host roles', () => {
  it('says where each action runs, which host ran it, and each host’s turn', () => {
    expect(
      card(
        state('clean-temp', {
          groupId: 'P2',
          status: 'succeeded',
          attempt: 1,
          runner: { name: 'gen-1', instance: 'a1' },
          summary: 'find /tmp … exited 0',
          ...DECIDED,
        }),
        state('restart', {
          groupId: 'P2',
          status: 'running',
          attempt: 1,
          runner: { name: 'gen-1', instance: 'a1' },
          hosts: [
            { host: 'gen-1', status: 'succeeded', summary: 'systemctl restart … exited 0' },
            { host: 'gen-2', status: 'running' },
            { host: 'gen-3', status: 'pending' },
          ],
          ...DECIDED,
        }),
      ),
    ).toMatchInlineSnapshot(`
      [
        "*P2 · Resource recovery*",
        "*1. Delete old temp files*
      \`run find /tmp -name ai-script-* -delete\` _on one generation host_",
        ":white_check_mark: *succeeded* — find /tmp … exited 0 · approved by <@U0BOB00002> :computer: on *gen-1*",
        "*2. Restart the generation service*
      \`run systemctl restart ai-script-generation-service\` _on every generation host, one after the other_",
        ":arrow_forward: *running* — approved by <@U0BOB00002> <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z> :white_check_mark: gen-1 · :arrow_forward: gen-2 · :white_circle: gen-3",
      ]
    `);
  });

  it('shows a queued action that has no live worker as waiting, with the fix', () => {
    expect(
      card(
        state('clean-temp', {
          groupId: 'P2',
          status: 'queued',
          attempt: 2,
          waiting: {
            attempt: 2,
            text: 'no live worker for role generation: start `npm run worker -- --role generation` on those hosts',
          },
          ...DECIDED,
        }),
        // A waiting note left from an earlier attempt says nothing about this one.
        state('restart', {
          groupId: 'P2',
          status: 'queued',
          attempt: 2,
          waiting: { attempt: 1, text: 'old' },
          ...DECIDED,
        }),
      ),
    ).toMatchInlineSnapshot(`
      [
        "*P2 · Resource recovery*",
        "*1. Delete old temp files*
      \`run find /tmp -name ai-script-* -delete\` _on one generation host_",
        ":hourglass_flowing_sand: *queued* (attempt 2) — approved by <@U0BOB00002> <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z> :hourglass_flowing_sand: waiting — no live worker for role generation: start \`npm run worker -- --role generation\` on those hosts",
        "*2. Restart the generation service*
      \`run systemctl restart ai-script-generation-service\` _on every generation host, one after the other_",
        ":hourglass_flowing_sand: *queued* (attempt 2) — approved by <@U0BOB00002> <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z>",
      ]
    `);
  });
});

describe('snapshot rows of probes read on several hosts', () => {
  it('shows one reading per host, and who did not answer', () => {
    const snapshot = renderSnapshot(
      diagnosis({
        results: [
          result({
            probeId: 'cpu',
            title: 'CPU usage',
            step: 2,
            verdict: 'critical',
            value: 94,
            unit: '%',
            host: 'gen-1',
            threshold: 'warn ≥ 70 %, critical ≥ 80 %',
            detail: '94 % on gen-1, 41 % on gen-2, gen-3: no answer within 5 s',
            hosts: [
              { host: 'gen-1', verdict: 'critical', value: 94, unit: '%', detail: 'busy 94 %' },
              { host: 'gen-2', verdict: 'ok', value: 41, unit: '%', detail: 'busy 41 %' },
              { host: 'gen-3', verdict: 'unknown', detail: 'no answer within 5 s' },
            ],
          }),
        ],
      }),
    );
    expect(lines(snapshot.blocks)[1]).toMatchInlineSnapshot(`
      "*Step 2 · Resources*
      :red_circle: CPU usage: *94 %* on gen-1, *41 %* on gen-2, gen-3: no answer within 5 s _(warn ≥ 70 %, critical ≥ 80 %)_"
    `);
  });
});

describe('timeline lines from the workers', () => {
  const line = (event: Parameters<typeof renderTimelineLine>[0]) =>
    renderTimelineLine(event, incident(), placed());
  const at = { seq: 4, at: '2026-11-25T02:01:00.000Z' };
  it('tells waiting, each host’s outcome and refusals; a turn starting only refreshes the card', () => {
    expect({
      waiting: line({
        ...at,
        type: 'action.worker',
        actionId: 'clean-temp',
        what: 'waiting',
        text: 'no live worker for role generation: start `npm run worker -- --role generation` on those hosts',
      }),
      running: line({
        ...at,
        type: 'action.worker',
        actionId: 'restart',
        what: 'running',
        host: 'gen-2',
        text: 'its turn started',
      }),
      succeeded: line({
        ...at,
        type: 'action.worker',
        actionId: 'restart',
        what: 'succeeded',
        host: 'gen-2',
        text: 'systemctl restart <unit> exited 0',
      }),
      failed: line({
        ...at,
        type: 'action.worker',
        actionId: 'restart',
        what: 'failed',
        host: 'gen-3',
        text: 'exited 1',
      }),
      refused: line({
        ...at,
        type: 'action.worker',
        actionId: 'restart',
        what: 'refused',
        host: 'gen-1',
        text: 'nothing ran: nobody approved attempt 1 of this action',
      }),
    }).toMatchInlineSnapshot(`
      {
        "failed": ":x: *P2 · Restart the generation service* on *gen-3*: exited 1",
        "refused": ":no_entry: Refused a job for *P2 · Restart the generation service* on *gen-1*: nothing ran: nobody approved attempt 1 of this action",
        "running": undefined,
        "succeeded": ":white_check_mark: *P2 · Restart the generation service* on *gen-2*: systemctl restart &lt;unit&gt; exited 0",
        "waiting": ":hourglass_flowing_sand: *P2 · Delete old temp files* waits: no live worker for role generation: start \`npm run worker -- --role generation\` on those hosts",
      }
    `);
  });
});

const worker = (overrides: Partial<WorkerView>): WorkerView => ({
  instance: 'a1b2c3',
  name: 'gen-1',
  hostname: 'gen-1.internal',
  pid: 4242,
  roles: ['generation'],
  unplaced: false,
  process: 'worker',
  version: '0.1.0',
  allowedPrograms: ['find', 'systemctl'],
  runbooks: { '503': 'abcdef123456' },
  keyId: '0badc0de',
  startedAt: '2026-11-25T01:00:00.000Z',
  heartbeatMs: 2000,
  seenAt: 0,
  ageMs: 1200,
  live: true,
  ...overrides,
});

describe('/incident workers', () => {
  it('lists live workers first, then the ones gone, then what is wrong', async () => {
    const status = {
      workers: [
        worker({}),
        worker({
          name: 'ops-1',
          hostname: 'ops-1',
          roles: [],
          unplaced: true,
          process: 'bot',
          allowedPrograms: [],
        }),
        worker({ name: 'gen-2', hostname: 'gen-2.internal', live: false, ageMs: 95_000 }),
      ],
      problems: ['no live worker for role project: start `npm run worker -- --role project` on those hosts'],
    };
    expect(renderWorkers(status)).toMatchInlineSnapshot(`
      "*Workers* — 2 live, 1 gone
      • :large_green_circle: *gen-1* — role *generation* · worker on gen-1.internal, pid 4242, v0.1.0 · seen 1.2 s ago · programs: find, systemctl
      • :large_green_circle: *ops-1* — actions without a role · the bot on ops-1, pid 4242, v0.1.0 · seen 1.2 s ago · programs: none
      • :red_circle: *gen-2* — role *generation* · gone: no heartbeat for 95 s (worker on gen-2.internal, pid 4242, v0.1.0)
      :warning: no live worker for role project: start \`npm run worker -- --role project\` on those hosts"
    `);
    const { ctx } = builtContext({ fleet: status });
    expect(await workersCommand.run?.({}, ctx, input())).toBe(renderWorkers(status));
    expect(renderWorkers({ workers: [], problems: [] })).toBe(
      '*Workers* — 0 live\nNo worker has registered.',
    );
  });
});
