/**
 * The `url` of a Firebreak process started on port 0 (`PORT=0`, `WORKER_PORT=0`): the process takes a
 * free port itself and logs it in its ready line (`"msg":"firebreak is up"`, `"executor worker is up"`).
 * A port picked by the test and handed over could be taken by another test's process in between.
 * Undefined until that line is in the output.
 */
export function readyUrl(output: string, message: string): string | undefined {
  const line = output.split('\n').find((l) => l.includes(`"msg":"${message}"`));
  if (!line) return undefined;
  const { url } = JSON.parse(line) as { url?: unknown };
  if (typeof url !== 'string') throw new Error(`the ready line carries no url: ${line}`);
  return url;
}
