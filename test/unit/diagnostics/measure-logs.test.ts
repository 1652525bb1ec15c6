// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTail } from '../../../src/diagnostics/probes/measure-logs.js';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';

// The seed runbook's four log patterns.
const PATTERNS = [
  'ERROR: Service unavailable - upstream timeout',
  'WARNING: All backend servers are down',
  'ERROR: Connection pool exhausted',
  'INFO: Scaling up workers due to high load',
];

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'firebreak-logs-'));
  file = join(dir, 'app.log');
  // Old noise far from the tail: 20 000 lines of ~60 bytes, more than one read chunk.
  const old = Array.from({ length: 20_000 }, (_, i) => `2026-11-24T10:00:00Z ${PATTERNS[2]} (old ${i})`);
  writeFileSync(file, `${old.join('\n')}\n`);
  const recent = [
    `2026-11-24T10:05:00Z ${PATTERNS[0]}`,
    '2026-11-24T10:05:01Z INFO: request served',
    `2026-11-24T10:05:02Z ${PATTERNS[0]}`,
    `2026-11-24T10:05:03Z ${PATTERNS[1]}`,
    `2026-11-24T10:05:04Z ${PATTERNS[2]}`,
    `2026-11-24T10:05:05Z ${PATTERNS[3]}`,
    '2026-11-24T10:05:06Z 한국어 로그 줄',
    `2026-11-24T10:05:07Z ${PATTERNS[0]}`,
  ];
  appendFileSync(file, `${recent.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logsProbe = (check: object) =>
  probeSchema.parse({ id: 'log-patterns', title: 'Log patterns', check: { type: 'logs', ...check } });

describe('logs probe', () => {
  it('reads only the tail lines', async () => {
    const tail = await readTail(file, 3);
    expect(tail).toEqual([
      `2026-11-24T10:05:05Z ${PATTERNS[3]}`,
      '2026-11-24T10:05:06Z 한국어 로그 줄',
      `2026-11-24T10:05:07Z ${PATTERNS[0]}`,
    ]);
    expect(await readTail(file, 1_000_000)).toHaveLength(20_008);
  });

  it('counts each pattern in the last tailLines lines', async () => {
    const result = await runProbe(logsProbe({ file: '${LOG_FILE}', tailLines: 8 }), {
      vars: { LOG_FILE: file },
      logPatterns: PATTERNS,
    });
    expect(result).toMatchObject({
      verdict: 'ok',
      value: 6,
      values: {
        [PATTERNS[0] as string]: 3,
        [PATTERNS[1] as string]: 1,
        [PATTERNS[2] as string]: 1,
        [PATTERNS[3] as string]: 1,
      },
      detail: `6 matches in the last 8 lines, most "${PATTERNS[0]}" ×3`,
    });
  });

  it('uses the probe patterns over the runbook ones, and judges the total', async () => {
    const result = await runProbe(
      logsProbe({ file, tailLines: 100, patterns: ['Connection pool exhausted'] }),
      { vars: {}, logPatterns: PATTERNS },
    );
    // 1 recent + 92 of the old lines fall in the last 100.
    expect(result.value).toBe(93);
  });

  it('reports a missing file and missing patterns as unknown', async () => {
    const missing = join(dir, 'missing.log');
    expect(await runProbe(logsProbe({ file: missing }), { vars: {}, logPatterns: PATTERNS })).toMatchObject({
      verdict: 'unknown',
      detail: `log file not found: ${missing}`,
    });
    expect(await runProbe(logsProbe({ file }), { vars: {} })).toMatchObject({
      verdict: 'unknown',
      detail: 'no patterns to count: set patterns or the runbook triggers.logPatterns',
    });
  });

  it('handles an empty file and a file without a trailing newline', async () => {
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    expect(await readTail(empty, 10)).toEqual([]);
    const partial = join(dir, 'partial.log');
    writeFileSync(partial, 'a\nb\nc');
    expect(await readTail(partial, 2)).toEqual(['b', 'c']);
  });
});
