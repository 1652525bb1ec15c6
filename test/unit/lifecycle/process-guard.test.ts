import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { installProcessGuard, isStateKnown } from '../../../src/lifecycle/process-guard.js';
import { createLogger } from '../../../src/logging/logger.js';

const CHILD = 'test/unit/lifecycle/process-guard-child.ts';

describe('the process guard', () => {
  it('in a real process: keeps running after an unhandled rejection and a reset socket, exits 1 after a bug', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('unhandledRejection: continuing');
    expect(out).toContain('uncaughtException: continuing');
    expect(out).toContain('STILL RUNNING');
    expect(out).toContain('the process state is unknown; stopping');
    expect(out).toContain('STOPPING');
    expect(out).not.toContain('NOT REACHED');
  });

  it('counts each stray error by kind and outcome, and runs the orderly stop once', async () => {
    const proc = new EventEmitter();
    const exits: number[] = [];
    let stops = 0;
    const guard = installProcessGuard({
      log: createLogger('silent', new Writable({ write: (_c, _e, done) => done() })),
      process: proc as unknown as NodeJS.Process,
      exit: (code) => exits.push(code),
    });
    guard.onFatal(async () => {
      stops++;
    });
    const registry = new Registry();
    guard.register(registry);
    proc.emit('unhandledRejection', new Error('x'));
    proc.emit('unhandledRejection', 'not even an error');
    proc.emit('uncaughtException', Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
    proc.emit('uncaughtException', new TypeError('x is not a function'));
    proc.emit('uncaughtException', new TypeError('and another while stopping'));
    await expect.poll(() => exits).toEqual([1]);
    expect(stops).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain('firebreak_stray_errors_total{kind="unhandledRejection",outcome="continued"} 2');
    expect(text).toContain('firebreak_stray_errors_total{kind="uncaughtException",outcome="continued"} 1');
    expect(text).toContain('firebreak_stray_errors_total{kind="uncaughtException",outcome="exited"} 2');
    guard.uninstall();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
  });

  it('calls a state unknown only for exceptions that are not one connection failing', () => {
    expect(isStateKnown('unhandledRejection', new TypeError('x'))).toBe(true);
    expect(isStateKnown('uncaughtException', Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
    expect(isStateKnown('uncaughtException', new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(isStateKnown('uncaughtException', 'a string')).toBe(false);
  });
});
