import { describe, expect, it } from 'vitest';
import { captureState } from '../../../src/executors/capture-state.js';
import { type Capture, captureSchema } from '../../../src/runbooks/runbook-schema.js';
import { testContext } from './test-context.js';

const capture = (as: string, script: string, path?: string): Capture =>
  captureSchema.parse({
    as,
    read: { type: 'process', command: ['node', '-e', script] },
    ...(path ? { path } : {}),
  });

describe('captureState', () => {
  it('keeps what each read found, at its path or whole', async () => {
    const result = await captureState(
      [
        capture('PREVIOUS_REPLICAS', 'console.log(" 3 ")'),
        capture('PREVIOUS_POLICY', 'console.log(JSON.stringify(["maxmemory-policy","noeviction"]))', '1'),
      ],
      testContext(),
    );
    expect(result).toEqual({ ok: true, values: { PREVIOUS_REPLICAS: '3', PREVIOUS_POLICY: 'noeviction' } });
  });

  it('fails the whole capture when a read fails, finds nothing, or finds a secret', async () => {
    expect(await captureState([capture('A', 'process.exit(3)')], testContext())).toMatchObject({
      ok: false,
      summary: expect.stringMatching(/^reading A \(run node -e .*\) failed: .*exit 3/),
    });
    expect(await captureState([capture('A', 'console.log("{}")', 'missing')], testContext())).toEqual({
      ok: false,
      summary: 'reading A (run node -e "console.log(\\"{}\\")") found no value at missing',
    });
    expect(
      await captureState(
        [capture('A', 'console.log("token-abcdef-123")')],
        testContext({ secrets: ['token-abcdef-123'] }),
      ),
    ).toMatchObject({ ok: false, summary: expect.stringContaining('holds a secret: it is not stored') });
  });
});
