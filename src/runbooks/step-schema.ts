import { z } from 'zod';
import { captureName } from './safety-schema.js';
import { conditionSchema, durationSchema, headers, httpMethod } from './schema-primitives.js';

/** The runbook format (runbook-schema.ts): the steps executors run, their expectations and captures. */

/**
 * A step checking its own result: the staged release stops when its breaker test says the upstream
 * is still down. `json.path` is dotted (`probe.upstream_healthy`; numbers index arrays: `1`) into the
 * JSON body, the Redis reply or the program's output; `condition` re-runs the probes it reads.
 */
const jsonExpectation = z.strictObject({
  path: z.string().min(1),
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
const stepExpectation = z.strictObject({
  json: jsonExpectation.optional(),
  condition: conditionSchema.optional(),
});
const httpExpectation = stepExpectation.extend({
  /** The answer's HTTP status (any 2xx passes without it). */
  status: z.union([z.int().min(100).max(599), z.array(z.int().min(100).max(599)).min(1)]).optional(),
});
export type StepExpectation = z.infer<typeof httpExpectation>;

const httpStep = z.strictObject({
  type: z.literal('http'),
  method: httpMethod,
  url: z.string(),
  headers: headers.optional(),
  /** JSON body, sent as application/json. */
  body: z.unknown().optional(),
  timeout: durationSchema.default('10s'),
  expect: httpExpectation.optional(),
});

const redisStep = z.strictObject({
  type: z.literal('redis'),
  url: z.string(),
  db: z.number().int().min(0).max(15).optional(),
  command: z.array(z.string()).min(1),
  timeout: durationSchema.default('5s'),
  expect: stepExpectation.optional(),
});

const processStep = z.strictObject({
  type: z.literal('process'),
  /** argv, run without a shell; the worker refuses programs not in EXECUTOR_ALLOWED_PROGRAMS. */
  command: z.array(z.string()).min(1),
  timeout: durationSchema.default('60s'),
  expect: stepExpectation.optional(),
});

const waitStep = z.strictObject({ type: z.literal('wait'), duration: durationSchema });

const manualStep = z.strictObject({
  type: z.literal('manual'),
  /** What a person does by hand; Firebreak records who marked it done. */
  instructions: z.string().min(1),
});

const simpleStep = z.discriminatedUnion('type', [httpStep, redisStep, processStep, waitStep, manualStep]);

const sequenceStep = z.strictObject({
  type: z.literal('sequence'),
  /** Run in order; the first failure stops the sequence. */
  steps: z.array(simpleStep).min(1),
});

export const stepSchema = z.discriminatedUnion('type', [
  httpStep,
  redisStep,
  processStep,
  waitStep,
  manualStep,
  sequenceStep,
]);
export type Step = z.infer<typeof stepSchema>;
export type SimpleStep = z.infer<typeof simpleStep>;
export type StepType = Step['type'];

/**
 * How to read the state an action changes, before it runs, so that its undo restores what was
 * there (`CONFIG GET maxmemory` → `CONFIG SET maxmemory ${PREVIOUS_MAXMEMORY}`), not a guess.
 */
export const captureSchema = z.strictObject({
  /** The variable the undo reads. */
  as: captureName,
  /** A read-only step: its answer holds the value. */
  read: z.discriminatedUnion('type', [httpStep, redisStep, processStep]),
  /** Where the value is in the answer (dotted, as `expect.json.path`); without it, the whole answer trimmed. */
  path: z.string().min(1).optional(),
});
export type Capture = z.infer<typeof captureSchema>;
