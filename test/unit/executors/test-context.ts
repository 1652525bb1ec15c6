import type { ExecutionContext } from '../../../src/executors/execute-step.js';
import { createLogger } from '../../../src/logging/logger.js';

/** Log lines a test can search for leaked secrets. */
export interface CapturedLog {
  lines: string[];
}

/** A context with a silent-to-stdout logger whose JSON lines are kept in `log.lines`. */
export function testContext(
  overrides: Partial<ExecutionContext> = {},
): ExecutionContext & { captured: CapturedLog } {
  const captured: CapturedLog = { lines: [] };
  const log = createLogger('debug', { write: (line: string) => void captured.lines.push(line) });
  return {
    vars: {},
    signal: new AbortController().signal,
    allowedPrograms: new Set(['node']),
    secrets: [],
    log,
    ...overrides,
    captured,
  };
}
