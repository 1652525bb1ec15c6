// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/firebreak.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The real launcher, as `npx firebreak` runs it. */
function firebreak(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/firebreak.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ADMIN_TOKEN: 'cli-test-secret' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function inProcess(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('bin/firebreak.js', () => {
  let broken: string;
  beforeAll(async () => {
    broken = await mkdtemp(join(tmpdir(), 'firebreak-cli-'));
    await writeFile(
      join(broken, 'broken.yaml'),
      'kind: demo\ntitle: Demo\nprobes:\n  - id: cpu\n    title: CPU\n    check: { type: host, metric: gpu }\n',
    );
  });
  afterAll(async () => {
    await rm(broken, { recursive: true, force: true });
  });

  it('validates the shipped runbooks: one ok line per file, exit 0', () => {
    const { status, stdout } = firebreak('validate', 'commands');
    expect(stdout).toMatch(/^ok commands\/503\.yaml \(503: \d+ actions, \d+ probes\)$/m);
    expect(stdout).toMatch(/^ok commands\/redis-memory\.yaml \(redis-memory: \d+ actions, \d+ probes\)$/m);
    expect(status).toBe(0);
  });

  it('exits 1 on a broken runbook, naming the file and the field', () => {
    const { status, stderr } = firebreak('validate', broken);
    expect(stderr).toMatch(/broken\.yaml:6: probes\[0\]\.check\.metric: .*expected one of "cpu"/);
    expect(status).toBe(1);
  });

  it('shows a runbook without resolving its secrets', () => {
    const { status, stdout } = firebreak('show', '503');
    expect(stdout).toContain('P1 Traffic control — within 30s');
    expect(stdout).toContain('Bearer ${ADMIN_TOKEN}');
    expect(stdout).not.toContain('cli-test-secret');
    expect(status).toBe(0);
  });

  it('writes the Prometheus rule file: to stdout as shipped, or to --out', async () => {
    const shipped = await readFile('prometheus/alerts.yml', 'utf8');
    const printed = firebreak('rules');
    expect(printed.stdout).toBe(shipped);
    expect(printed.status).toBe(0);

    const out = join(broken, 'out', 'alerts.yml');
    const written = firebreak('rules', '--out', out);
    expect(written.stdout).toBe(`wrote ${out}\n`);
    expect(await readFile(out, 'utf8')).toBe(shipped);
    expect(written.status).toBe(0);
  });

  it('prints usage and exits 2 for an unknown command', () => {
    const { status, stderr } = firebreak('frobnicate');
    expect(stderr).toContain('unknown command "frobnicate"');
    expect(stderr).toContain('Usage: firebreak');
    expect(status).toBe(2);
  });
});

describe('runCli', () => {
  it('answers help with the usage and exit 2', async () => {
    const { status, stdout } = await inProcess('help');
    expect(stdout).toContain('validate [dir]');
    expect(status).toBe(2);
  });

  it('lists the known kinds for an unknown one', async () => {
    const { status, stderr } = await inProcess('show', 'nope');
    expect(stderr).toBe('unknown incident kind "nope": known kinds are 503, redis-memory');
    expect(status).toBe(1);
  });

  it('refuses rules from a broken runbook directory (exit 1) and positional arguments (exit 2)', async () => {
    const missing = await inProcess('rules', '--dir', 'no-such-dir');
    expect(missing.stderr).toBe('cannot read runbook directory no-such-dir: check RUNBOOK_DIR');
    expect(missing.status).toBe(1);
    const extra = await inProcess('rules', 'prometheus/alerts.yml');
    expect(extra.stderr).toContain('rules takes no arguments: use --dir and --out');
    expect(extra.status).toBe(2);
  });

  it('rejects unknown options and missing arguments as usage errors', async () => {
    expect((await inProcess('validate', '--frob')).status).toBe(2);
    expect((await inProcess('show')).status).toBe(2);
  });
});
