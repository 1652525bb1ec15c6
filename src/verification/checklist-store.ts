import type { Redis } from 'ioredis';
import type { ProbeResult } from '../diagnostics/probe-result.js';
import type { Surface } from '../timeline/actor.js';
import type { CheckStatus } from '../timeline/check-outcome.js';

/** The latest outcome of one check; `by`/`via`: who ticked a check that needs a person. */
export interface CheckResult {
  status: CheckStatus;
  /** ISO 8601: when it was measured or ticked. */
  at: string;
  evidence: string[];
  by?: string;
  via?: Surface;
}

/** The moments recorded once per incident; the postmortem and the histograms both read these. */
export const milestoneFields = ['approvedAt', 'mitigatedAt', 'recoveredAt'] as const;
export type MilestoneField = (typeof milestoneFields)[number];

/** Everything the recovery checklist knows of one incident, read in one round trip. */
export interface ChecklistRecord {
  /** The first human approval (time to acknowledge ends here). */
  approvedAt?: string;
  /** The first successful mitigation: the checklist's schedule counts from it. */
  mitigatedAt?: string;
  /** The moment every check of the first tier first passed. Never changes once set. */
  recoveredAt?: string;
  /** Latest result per check id. */
  results: Record<string, CheckResult>;
  /** Latest result per probe id the checks read (the load test's `ab`-like line lives here). */
  probes: Record<string, ProbeResult>;
}

/**
 * The checklist's own record, next to the incident's: `<prefix>inc:<id>:checklist` (hash) with the
 * milestones (set once, HSETNX, so two replicas or a retried job never move them), `check:<id>`,
 * `probe:<id>`, `ran:<job id>` (scheduled runs done) and `rechecks`.
 */
export class RedisChecklistStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'fb:',
  ) {}

  private key(id: string): string {
    return `${this.prefix}inc:${id}:checklist`;
  }

  async read(id: string): Promise<ChecklistRecord> {
    const hash = await this.redis.hgetall(this.key(id));
    const record: ChecklistRecord = { results: {}, probes: {} };
    for (const [field, raw] of Object.entries(hash)) {
      if (field.startsWith('check:')) record.results[field.slice(6)] = JSON.parse(raw) as CheckResult;
      else if (field.startsWith('probe:')) record.probes[field.slice(6)] = JSON.parse(raw) as ProbeResult;
      else if ((milestoneFields as readonly string[]).includes(field)) record[field as MilestoneField] = raw;
    }
    return record;
  }

  /** Sets a milestone unless it is set: true for the one caller that set it. */
  async markOnce(id: string, field: MilestoneField, at: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(id), field, at)) === 1;
  }

  async saveResults(
    id: string,
    results: ReadonlyMap<string, CheckResult>,
    probes: readonly ProbeResult[],
  ): Promise<void> {
    const fields: string[] = [];
    for (const [checkId, result] of results) fields.push(`check:${checkId}`, JSON.stringify(result));
    for (const probe of probes) fields.push(`probe:${probe.probeId}`, JSON.stringify(probe));
    if (fields.length > 0) await this.redis.hset(this.key(id), ...fields);
  }

  /** Records a tick of a check that needs a person; false when someone ticked it already. */
  async tickOnce(id: string, checkId: string, result: CheckResult): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(id), `check:${checkId}`, JSON.stringify(result))) === 1;
  }

  /** Whether the scheduled run with this job id has completed (a re-added or re-run job skips it). */
  async hasRun(id: string, jobId: string): Promise<boolean> {
    return (await this.redis.hexists(this.key(id), `ran:${jobId}`)) === 1;
  }

  async markRun(id: string, jobId: string, at: string): Promise<void> {
    await this.redis.hset(this.key(id), `ran:${jobId}`, at);
  }
}
