import type { SandboxFiles } from './sandbox-host.js';

/** The base URLs a started sandbox listens on, by service (what `Sandbox.start()` resolves to). */
export type SandboxUrls = Readonly<
  Record<'project' | 'generation' | 'frontend' | 'chroma' | 'prometheus' | 'upstream', string>
>;

/**
 * The variables that point Firebreak and the 503 runbook at a running sandbox: its services, the
 * upstream stand-in, and the files its host, `logs` and `lsof` probes read, so that no probe looks
 * at the machine that runs the bot. Credentials (ADMIN_TOKEN, OPENAI_API_KEY) are the caller's.
 */
export function sandboxTargetEnv(urls: SandboxUrls, files: SandboxFiles): Record<string, string> {
  return {
    PROJECT_SERVICE_URL: urls.project,
    GENERATION_SERVICE_URL: urls.generation,
    FRONTEND_URL: urls.frontend,
    CHROMA_URL: urls.chroma,
    PROMETHEUS_URL: urls.prometheus,
    OPENAI_API_URL: urls.upstream,
    OPENAI_STATUS_URL: urls.upstream,
    HOST_PROC_ROOT: files.procRoot,
    GENERATION_LOG_FILE: files.generationLog,
    SQLITE_DB_PATH: files.database,
  };
}
