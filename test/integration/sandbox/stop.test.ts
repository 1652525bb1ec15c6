import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../../src/sandbox/sandbox.js';
import { call, startSandbox, TOKEN } from './sandbox-harness.js';

const serverCount = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

describe('sandbox lifecycle', () => {
  it('closes every server even with a request parked in a simulated delay', async () => {
    const before = serverCount();
    const { sandbox, urls } = await startSandbox({ mode: 'spike', spikeLatencyMs: 10_000 });
    expect(serverCount()).toBe(before + 6);

    const parked = fetch(`${urls.generation}/api/generation/health`).then(
      (res) => res.status,
      () => 'aborted',
    );
    await call(`${urls.project}/health`); // a keep-alive socket too
    const begun = performance.now();
    await sandbox.stop();
    expect(performance.now() - begun).toBeLessThan(1000);
    expect(await parked).toBe('aborted');
    // libuv releases a closed handle a moment after the 'close' event.
    await expect.poll(serverCount).toBe(before);
    await expect(fetch(`${urls.generation}/health`)).rejects.toThrow();
    await sandbox.stop(); // twice is harmless
  });

  it('reports a taken port with the fix and leaves nothing listening', async () => {
    const { urls } = await startSandbox();
    const takenPort = Number(new URL(urls.generation).port);
    const before = serverCount();
    const clash = createSandbox({ adminToken: TOKEN, ports: { project: 0, generation: takenPort } });
    await expect(clash.start()).rejects.toThrow(
      /generation could not listen .*EADDRINUSE.*ports\.generation/,
    );
    await expect.poll(serverCount).toBe(before);
  });

  it('lets the process exit on its own after stop()', async () => {
    const script = fileURLToPath(new URL('./start-stop-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exitCode = await new Promise<number | null>((resolve) => {
      // A leaked handle keeps the child alive: kill it after a bound and fail.
      const timer = setTimeout(() => child.kill('SIGKILL'), 4000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    expect(stdout).toContain('stopped');
    expect(exitCode).toBe(0);
  });
});
