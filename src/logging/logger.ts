import { type DestinationStream, type Logger, pino } from 'pino';
import { SecretMask } from '../secrets/secret-mask.js';

export type { Logger } from 'pino';

/**
 * Paths pino blanks in every log line. pino redacts structured fields only — never interpolate a
 * secret into a message string; log it (if at all) as a field under one of these names.
 */
export const redactPaths = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'adminToken',
  '*.adminToken',
  'authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'req.headers["x-slack-signature"]',
  'vars',
  '*.vars',
  'secrets',
  '*.secrets',
];

/**
 * The process's root logger; units of work take a `child()` (incident, job). Besides the paths
 * above, every finished line passes `mask` — the known secret values in every form and anything
 * that looks like a credential — so a secret inside a message, an error or a stack is hidden too.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  mask: SecretMask = new SecretMask(),
): Logger {
  return pino(
    {
      level,
      base: { service: 'firebreak' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: (line) => mask.apply(line) },
    },
    destination,
  );
}
