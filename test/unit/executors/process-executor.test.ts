// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStep } from '../../../src/executors/execute-step.js';
import { type Step, stepSchema } from '../../../src/runbooks/runbook-schema.js';
import { testContext } from './test-context.js';

const run = (command: string[], timeout?: string): Step =>
  stepSchema.parse({ type: 'process', command, ...(timeout ? { timeout } : {}) });

/** Alive means running: a zombie waiting for its parent (or a lazy PID 1) to reap it is gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean | Promise<boolean>, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firebreak-exec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `script` under node, which writes its pid (and its child's) to a file, and waits for it. */
async function startRecordingPids(script: string, signal: AbortSignal, pidFile: string) {
  const ctx = testContext({ signal });
  const result = executeStep(run(['node', '-e', script, pidFile], '1m'), ctx);
  await eventually(async () => (await readFile(pidFile, 'utf8').catch(() => '')).includes('\n'), 5000);
  const pids = (await readFile(pidFile, 'utf8')).trim().split(/\s+/).map(Number);
  return { result, pids };
}

describe('process steps', () => {
  it('refuses a program that is not allow-listed, naming the fix', async () => {
    const result = await executeStep(run(['systemctl', 'restart', 'x']), testContext());
    expect(result).toMatchObject({
      outcome: 'failed',
      summary: '"systemctl" is not allowed on this worker: add it to EXECUTOR_ALLOWED_PROGRAMS',
    });
  });

  it('refuses a path even when its base name is allowed, unless the path itself is listed', async () => {
    const refused = await executeStep(run([process.execPath, '-e', '']), testContext());
    expect(refused.outcome).toBe('failed');
    expect(refused.summary).toContain(`"${process.execPath}" is not allowed on this worker`);

    const listed = testContext({ allowedPrograms: new Set([process.execPath]) });
    expect((await executeStep(run([process.execPath, '-e', '']), listed)).outcome).toBe('succeeded');
  });

  it('says when an allowed program is not installed', async () => {
    const ctx = testContext({ allowedPrograms: new Set(['firebreak-no-such-program']) });
    const result = await executeStep(run(['firebreak-no-such-program', 'get', 'pods']), ctx);
    expect(result).toMatchObject({
      outcome: 'failed',
      summary: '"firebreak-no-such-program" is not installed on this worker',
    });
  });

  it('runs an allowed program with interpolated argv and no shell', async () => {
    const ctx = testContext({ vars: { SERVICE: 'ai-script-generation-service' } });
    const result = await executeStep(
      run([
        'node',
        '-e',
        'console.log(process.argv.slice(1).join("|"))',
        '${SERVICE}',
        '$(echo pwned); echo x',
      ]),
      ctx,
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.summary).toMatch(/^node -e .* → exit 0 in \d+(\.\d+)? m?s$/);
    expect(result.excerpt).toBe('ai-script-generation-service|$(echo pwned); echo x');
  });

  it('fails on a non-zero exit with the code and the tail of stderr', async () => {
    const script = 'console.log("starting"); console.error("line 1\\nboom: disk full"); process.exit(3)';
    const result = await executeStep(run(['node', '-e', script]), testContext());
    expect(result.outcome).toBe('failed');
    expect(result.summary).toMatch(/→ exit 3 in .*: boom: disk full$/);
    expect(result.excerpt).toBe('line 1\nboom: disk full');
  });

  it('redacts secrets from program output', async () => {
    const ctx = testContext({ vars: { ADMIN_TOKEN: 'tok-1234567890' }, secrets: ['tok-1234567890'] });
    const result = await executeStep(
      run(['node', '-e', 'console.log("token=" + process.argv[1])', '${ADMIN_TOKEN}']),
      ctx,
    );
    expect(result.excerpt).toBe('token=[redacted]');
  });

  it('keeps the tail of long output, at most 600 characters', async () => {
    const result = await executeStep(
      run(['node', '-e', 'console.log("x".repeat(5000) + "END")']),
      testContext(),
    );
    expect(result.excerpt).toHaveLength(600);
    expect(result.excerpt.startsWith('…')).toBe(true);
    expect(result.excerpt.endsWith('END')).toBe(true);
  });

  it('kills the program and its children when the step is cancelled', async () => {
    const controller = new AbortController();
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
      require('node:fs').writeFileSync(process.argv[1], process.pid + ' ' + child.pid + '\\n');
      setInterval(() => {}, 1000);`;
    const { result, pids } = await startRecordingPids(script, controller.signal, join(dir, 'tree.pid'));
    expect(pids.every(isAlive)).toBe(true);
    controller.abort();
    expect(await result).toMatchObject({ outcome: 'failed', summary: 'cancelled' });
    expect(await eventually(() => !pids.some(isAlive))).toBe(true);
  });

  it('escalates to SIGKILL when the program ignores SIGTERM', async () => {
    const controller = new AbortController();
    const script = `process.on('SIGTERM', () => {});
      require('node:fs').writeFileSync(process.argv[1], process.pid + '\\n');
      setInterval(() => {}, 1000);`;
    const { result, pids } = await startRecordingPids(script, controller.signal, join(dir, 'stubborn.pid'));
    const started = Date.now();
    controller.abort(new DOMException('deadline of P1 passed', 'TimeoutError'));
    expect(await result).toMatchObject({ outcome: 'failed', summary: 'deadline exceeded' });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(await eventually(() => !pids.some(isAlive))).toBe(true);
  });

  it("stops a program that outlives the step's timeout", async () => {
    const result = await executeStep(
      run(['node', '-e', 'setInterval(() => {}, 1000)'], '300ms'),
      testContext(),
    );
    expect(result.outcome).toBe('failed');
    expect(result.summary).toBe(
      'node -e "setInterval(() => {}, 1000)" timed out after 300 ms and was killed',
    );
  });
});
