/**
 * Loads `.env` from the working directory when there is one (Node's own parser, 20.12+).
 * Variables already set in the environment win, as with every dotenv tool.
 */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
