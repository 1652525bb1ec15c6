import type { LocalStack } from '../dev/start-local-stack.js';
import { evaluateCondition } from '../diagnostics/evaluate-condition.js';
import { undoIdOf } from '../runbooks/runbook-schema.js';
import type { DemoFault } from './demo-faults.js';
import type { DemoOutput } from './demo-output.js';
import {
  approveActions,
  type DemoCast,
  openDemoIncident,
  resolveAndShow,
  showFailingStack,
  waitForRecovery,
} from './demo-steps.js';
import { RATE_503_QUERY } from './sandbox-vitals.js';

/**
 * The story of one root-cause fault: the failing stack and what its host shows, `/incident 503`, the
 * diagnosis naming the fault's scenario (it throws when it names another or none), the approval of
 * that scenario's HTTP actions, the recovery, and the resolution. Whatever the machine running the
 * demo is doing, the probes read the sandbox's host: its /proc tree, its log, its database.
 */
export async function playFaultStory(
  stack: LocalStack,
  out: DemoOutput,
  cast: DemoCast,
  fault: DemoFault,
): Promise<void> {
  out.section('The stack is failing');
  out.say(`The sandbox simulates the runbook’s AI script generator stack, and ${fault.cause}.`);
  const before = await showFailingStack(stack, out, RATE_503_QUERY);
  const host = stack.sandbox.state().host;
  const files = stack.sandbox.files();
  out.fail(
    `Its host: CPU ${host.cpu} %, memory ${host.memory} %, ${host.established} TCP connections established, ` +
      `${host.dbHandles} descriptors open on the database`,
  );
  out.note(`what the bot’s probes read: HOST_PROC_ROOT=${files.procRoot}, SQLITE_DB_PATH=${files.database},`);
  out.note(`GENERATION_LOG_FILE=${files.generationLog}`);

  const runbook = stack.bot.deps.runbooks.get('503');
  const group = runbook?.groups.find((g) => g.scenario === fault.scenario);
  if (!runbook || !group) throw new Error(`the 503 runbook has no group for scenario ${fault.scenario}`);
  const offered = runbook.actions.filter((a) => a.group === group.id);
  const session = await openDemoIncident(
    stack,
    out,
    cast,
    offered.map((a) => a.id),
  );

  out.section('Firebreak names the likely root cause');
  const diagnosis = await session.diagnosis();
  const matched = diagnosis.scenarios.filter((s) => s.matched);
  for (const scenario of matched) {
    out.ok(`Scenario ${scenario.number}: ${scenario.title}`);
    out.block(scenario.evidence.map((line) => `• ${line}`).join('\n'), 6);
  }
  if (matched.length !== 1 || matched[0]?.scenarioId !== fault.scenario) {
    const named = matched.map((s) => s.scenarioId).join(', ') || 'none';
    throw new Error(`the diagnosis should name ${fault.scenario}, and named ${named}`);
  }

  // The card's HTTP actions whose condition holds: the others need a real host (systemctl, Redis).
  const results = new Map(diagnosis.results.map((r) => [r.probeId, r]));
  const actions = offered.filter(
    (a) => a.run.type === 'http' && (!a.when || evaluateCondition(a.when, results).met === true),
  );
  out.section(`${session.me} approves the actions of “${group.title}”`);
  for (const action of actions) out.say(`  • ${action.title}`);
  out.note('(the card’s other actions restart services or change Redis: they need the real stack)');
  const second = cast.second ? { id: cast.second, name: cast.names[cast.second] ?? cast.second } : undefined;
  await approveActions(session, cast.user, actions, second);

  out.section('The sandbox recovers');
  await waitForRecovery(session, before);

  const kept = actions.filter((a) => undoIdOf(a) !== undefined);
  if (kept.length === 0) return resolveAndShow(session, cast.user, 'resolve');
  out.say(
    `Their undo waits: ${fault.afterwards ?? 'the cause is not gone yet'}. \`/incident resolve\` refuses while mitigations are`,
  );
  out.say('in place; `force` resolves all the same and records each one left in place in the timeline.');
  return resolveAndShow(session, cast.user, 'resolve force');
}
