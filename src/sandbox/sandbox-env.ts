import { z } from 'zod';
import {
  DEFAULT_SANDBOX_PORTS,
  SANDBOX_MODES,
  SANDBOX_SERVICES,
  type SandboxOptions,
  type SandboxServiceName,
} from './sandbox.js';

/** Published in the README so anyone can drive the demo; never a real credential. */
export const DEMO_ADMIN_TOKEN = 'sandbox-admin-token';

const portVariable = (name: SandboxServiceName) => `SANDBOX_PORT_${name.toUpperCase()}`;

const envSchema = z.object({
  SANDBOX_MODE: z.enum(SANDBOX_MODES).default('spike'),
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  ADMIN_TOKEN: z.string().min(1).optional(),
  ...Object.fromEntries(
    SANDBOX_SERVICES.map((name) => [
      portVariable(name),
      z.coerce.number().int().min(0).max(65_535).optional(),
    ]),
  ),
});

export interface SandboxEnv {
  options: SandboxOptions;
  /** True when ADMIN_TOKEN was unset and the public demo token is in use. */
  usesDemoToken: boolean;
}

/**
 * Reads `npm run sandbox` settings: SANDBOX_MODE (default spike; any of {@link SANDBOX_MODES}),
 * SANDBOX_HOST, ADMIN_TOKEN and SANDBOX_PORT_<SERVICE> (e.g. SANDBOX_PORT_CHROMA=18000 when 8000 is taken).
 * Throws a message naming the variable to fix.
 */
export function readSandboxEnv(env: NodeJS.ProcessEnv = process.env): SandboxEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid sandbox environment:\n${z.prettifyError(parsed.error)}`);
  const values: Record<string, unknown> = parsed.data;
  const ports = { ...DEFAULT_SANDBOX_PORTS };
  for (const name of SANDBOX_SERVICES) {
    const port = values[portVariable(name)];
    if (typeof port === 'number') ports[name] = port;
  }
  return {
    options: {
      host: parsed.data.SANDBOX_HOST,
      ports,
      adminToken: parsed.data.ADMIN_TOKEN ?? DEMO_ADMIN_TOKEN,
      mode: parsed.data.SANDBOX_MODE,
    },
    usesDemoToken: parsed.data.ADMIN_TOKEN === undefined,
  };
}
