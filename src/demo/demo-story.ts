import type { LocalStack } from '../dev/start-local-stack.js';
import type { DemoOutput } from './demo-output.js';
import {
  approveActions,
  type DemoCast,
  openDemoIncident,
  resolveAndShow,
  responseAt,
  showFailingStack,
  waitForRecovery,
} from './demo-steps.js';
import { RATE_503_QUERY } from './sandbox-vitals.js';

export type { DemoCast } from './demo-steps.js';

/**
 * The demo's story against a running {@link LocalStack}: the spike, `/incident 503`, the diagnosis, the
 * approval of the P1 actions that call the service's admin API, the recovery, their undo, `/incident resolve`, and the
 * channel's transcript. Throws when any part does not happen.
 */
export async function playDemoStory(stack: LocalStack, out: DemoOutput, cast: DemoCast): Promise<void> {
  out.section('The stack is failing');
  out.say('The sandbox simulates the runbook’s AI script generator stack, and it is in a 503 spike.');
  const before = await showFailingStack(stack, out, RATE_503_QUERY);

  const runbook = stack.bot.deps.runbooks.get('503');
  if (!runbook) throw new Error('no runbook for 503');
  const p1 = runbook.actions.filter((a) => a.group === 'P1' && a.run.type === 'http');
  const session = await openDemoIncident(
    stack,
    out,
    cast,
    p1.map((a) => a.id),
  );
  const { me, channel } = session;

  out.section(`${me} approves the P1 traffic-control actions`);
  out.say(`P1 must be done within 30 s. ${p1.length} of its actions call the service’s admin API over HTTP:`);
  for (const action of p1) out.say(`  • ${action.title}`);
  out.note('(the nginx ones need a real nginx; the final transcript shows every card)');
  out.note('Each click is a signed block_actions request; Firebreak records the approval in Redis once,');
  out.note('queues a job, and its HTTP executor calls the admin API with the admin token.');
  await approveActions(session, cast.user, p1);

  out.section('The sandbox recovers');
  out.say('Rate limit and circuit breaker together drain the surge. The same two curls as before:');
  await waitForRecovery(session, before);

  out.section(`${me} tries /incident resolve, with the mitigations still in place`);
  const early = await stack.slash('resolve', cast.user, channel.id);
  if (early.status !== 200) throw new Error(`/incident resolve answered HTTP ${early.status}`);
  const refusal = await stack.slack.waitFor(() => responseAt(stack.slack, early.responseUrl), 5000);
  out.say(`Firebreak answers ${me} (only they see it):`);
  out.block(session.slackText(refusal), 4);

  out.section(`${me} normalizes: approves the undo of each P1 action`);
  out.note(
    'Each action that changed the system names its undo in the runbook; the after-recovery card offers it.',
  );
  const undos = p1.flatMap((action) => runbook.actions.filter((a) => a.id === action.undo));
  await approveActions(session, cast.user, undos);

  await resolveAndShow(session, cast.user, 'resolve');
}
