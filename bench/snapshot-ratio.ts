import { openingDelivered } from '../src/dev/opening-delivered.js';
import type { LocalStack } from '../src/dev/start-local-stack.js';
import type { Diagnosis } from '../src/diagnostics/run-diagnosis.js';
import { fixed, table, waitUntil } from './bench-stats.js';

/**
 * `/incident 503` against the sandbox's spike, `runs` times one after another: the diagnosis' wall
 * time against its slowest probe (1.0× = every probe in parallel, nothing added), and the time
 * from the slash command to the snapshot in the thread.
 */
export async function measureSnapshotRatio(stack: LocalStack, runs = 5): Promise<string> {
  const rows: string[][] = [];
  for (let i = 0; i < runs; i++) {
    const before = new Set(stack.slack.channels().map((c) => c.id));
    const t0 = performance.now();
    await stack.slash(`503 snapshot bench ${i}`, 'U0BENCH002');
    const posted = await stack.slack.waitFor(() => {
      const channel = stack.slack.channels().find((c) => !before.has(c.id) && c.name.includes('-503-'));
      const [header] = channel ? stack.slack.messages(channel.id) : [];
      const snapshot =
        channel && header
          ? stack.slack.thread(channel.id, header.ts).some((m) => m.text.startsWith('Diagnostic snapshot'))
          : false;
      return snapshot && performance.now();
    }, 60_000);
    // Let its opening finish in Slack before the next run: one incident at a time.
    const [opened] = await stack.bot.deps.store.listRecent(1);
    await waitUntil(() => (opened ? openingDelivered(stack.bot, opened.id) : Promise.resolve(false)), 60_000);
    const [incident] = (await stack.bot.deps.store.listRecent(1)).filter((x) => x.kind === '503');
    const diagnosis = incident ? await stack.bot.deps.store.getDiagnosis<Diagnosis>(incident.id) : undefined;
    if (!diagnosis) throw new Error('bench: no diagnosis recorded');
    const wall = Date.parse(diagnosis.finishedAt) - Date.parse(diagnosis.startedAt);
    const slowest = diagnosis.results.reduce((a, r) => (r.durationMs > a.durationMs ? r : a));
    rows.push([
      String(i + 1),
      String(diagnosis.results.length),
      fixed(wall, 0),
      `${fixed(slowest.durationMs, 0)} (${slowest.probeId})`,
      `${fixed(wall / slowest.durationMs, 2)}×`,
      fixed(posted - t0, 0),
    ]);
  }
  return table(
    [
      'run',
      'probes',
      'diagnosis wall ms',
      'slowest probe ms',
      'wall / slowest',
      'slash → snapshot in thread ms',
    ],
    rows,
  );
}
