import type { SandboxMode } from '../sandbox/sandbox.js';

/** A fault `npm run demo -- --fault <name>` injects, and what the demo expects Firebreak to make of it. */
export interface DemoFault {
  /** The sandbox mode that produces it. */
  mode: SandboxMode;
  /** The 503 runbook's scenario the diagnosis must name. */
  scenario: string;
  /** What is wrong, as the narration says it. */
  cause: string;
  /** Why the mitigations stay in place after the recovery, for faults whose actions have an undo. */
  afterwards?: string;
}

/** One fault per root-cause scenario of the seed runbook. */
export const DEMO_FAULTS = {
  resource: {
    mode: 'resource-exhaustion',
    scenario: 'resource-exhaustion',
    cause: 'the generation service’s heavy jobs have used up the host’s CPU and memory',
    afterwards: 'the heavy jobs resume once there is capacity for them',
  },
  db: {
    mode: 'database-bottleneck',
    scenario: 'database-bottleneck',
    cause: 'long queries hold the SQLite database and every writer queues on its lock',
  },
  external: {
    mode: 'upstream-outage',
    scenario: 'external-api-outage',
    cause: 'OpenAI and Anthropic are failing: slow 503s, and the status page says Major Outage',
    afterwards: 'the breakers stay open until OpenAI and Anthropic are back',
  },
  network: {
    mode: 'network-saturation',
    scenario: 'network-saturation',
    cause: 'nginx holds thousands of connections to the generation service and its pool is exhausted',
  },
} as const satisfies Record<string, DemoFault>;
export type DemoFaultName = keyof typeof DEMO_FAULTS;

const USAGE = `usage: npm run demo [-- --fault <${Object.keys(DEMO_FAULTS).join('|')}>]`;

/**
 * Reads the demo's command line: nothing (the 503 spike) or `--fault <name>` / `--fault=<name>`.
 * Throws the usage for anything else.
 */
export function parseDemoArgs(argv: readonly string[]): { fault?: DemoFaultName } {
  const args = argv.flatMap((arg) => (arg.startsWith('--fault=') ? ['--fault', arg.slice(8)] : [arg]));
  if (args.length === 0) return {};
  const [flag, name, ...rest] = args;
  if (flag !== '--fault' || name === undefined || rest.length > 0) throw new Error(USAGE);
  if (!Object.hasOwn(DEMO_FAULTS, name)) throw new Error(`unknown fault "${name}"; ${USAGE}`);
  return { fault: name as DemoFaultName };
}
