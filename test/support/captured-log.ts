import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging/logger.js';

/** A real pino logger (with its redaction) whose lines the test can read back as text. */
export function capturedLog(level = 'debug'): { log: Logger; text(): string } {
  let text = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { log: createLogger(level, sink), text: () => text };
}
