import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SignalTarget, stopOnSignals } from '../../../src/lifecycle/stop-on-signals.js';
import { createLogger } from '../../../src/logging/logger.js';

/** A stand-in for `process`: signals are emitted by the test, exits are recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const target: SignalTarget = {
    on: (signal, listener) => emitter.on(signal, listener),
    exit: (code) => {
      exits.push(code);
    },
  };
  return { target, exits, send: (signal: NodeJS.Signals) => emitter.emit(signal) };
}

function captureLog() {
  let text = '';
  const log = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
  );
  return { log, text: () => text };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('stopOnSignals', () => {
  it('runs the stop once on SIGTERM and exits 0; a second signal during the stop is ignored', async () => {
    const p = fakeProcess();
    const { log, text } = captureLog();
    let release: () => void = () => undefined;
    const stop = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    stopOnSignals(log, { deadlineMs: 60_000, target: p.target }).running(stop);
    p.send('SIGTERM');
    p.send('SIGINT');
    await settle();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(p.exits).toEqual([]);
    release();
    await settle();
    expect(p.exits).toEqual([0]);
    expect(text()).toContain('already stopping');
  });

  it('keeps a signal that arrives during the start, and stops as soon as the process is up', async () => {
    const p = fakeProcess();
    const stop = vi.fn(async () => undefined);
    const signals = stopOnSignals(captureLog().log, { deadlineMs: 60_000, target: p.target });
    p.send('SIGTERM');
    await settle();
    expect(p.exits).toEqual([]);
    signals.running(stop);
    await settle();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(p.exits).toEqual([0]);
  });

  it('exits 1 when the stop fails, and when it outlives the deadline', async () => {
    const failing = fakeProcess();
    const { log, text } = captureLog();
    stopOnSignals(log, { deadlineMs: 60_000, target: failing.target }).running(async () => {
      throw new Error('redis is gone');
    });
    failing.send('SIGINT');
    await settle();
    expect(failing.exits).toEqual([1]);
    expect(text()).toContain('stopping failed');

    vi.useFakeTimers();
    const hanging = fakeProcess();
    stopOnSignals(log, { deadlineMs: 5000, target: hanging.target }).running(() => new Promise(() => {}));
    hanging.send('SIGTERM');
    vi.advanceTimersByTime(4999);
    expect(hanging.exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(hanging.exits).toEqual([1]);
  });

  it('does nothing without a signal', async () => {
    const p = fakeProcess();
    const stop = vi.fn(async () => undefined);
    stopOnSignals(captureLog().log, { deadlineMs: 1000, target: p.target }).running(stop);
    await settle();
    expect(stop).not.toHaveBeenCalled();
    expect(p.exits).toEqual([]);
  });
});
