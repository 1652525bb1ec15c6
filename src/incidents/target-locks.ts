import type { Cluster, Redis } from 'ioredis';

/** One queued attempt of one action, as it stands in a target's line. */
export interface LineMember {
  incidentId: string;
  actionId: string;
  attempt: number;
}

export function memberKey(m: LineMember): string {
  return `${m.incidentId}/${m.actionId}/${m.attempt}`;
}

export function parseMember(raw: string): LineMember | undefined {
  const match = /^([^/]+)\/([^/]+)\/(\d+)$/.exec(raw);
  return match
    ? { incidentId: match[1] ?? '', actionId: match[2] ?? '', attempt: Number(match[3]) }
    : undefined;
}

// KEYS = the target lines; ARGV[1] = member. Joins every line it is not in yet, in one step, so two
// actions sharing two targets stand in the same order in both (no two wait for each other).
const JOIN = `
for _, key in ipairs(KEYS) do
  if not redis.call('LPOS', key, ARGV[1]) then redis.call('RPUSH', key, ARGV[1]) end
end
return 1
`;

// KEYS[1] = a line; ARGV[1] = the head seen. Drops it only if it is still the head.
const DROP_HEAD = `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]); return 1 end
return 0
`;

/** Whether a member still holds its place (its action is queued or running under that attempt). */
export type StillWaiting = (member: LineMember) => Promise<boolean>;

/**
 * One action per target at a time, across incidents, processes and replicas: each target is a line
 * in Redis (`{<prefix>:targets}:<name>`), joined when an action is approved to run and left when it
 * ends. An action runs only when it heads the line of every target it changes; otherwise it waits,
 * visibly, for the one ahead. BullMQ's open-source version has no per-key concurrency: this is it.
 * A head whose action is no longer queued or running (a crash between its end and its leaving) is
 * dropped when found, so a line never stays blocked.
 */
export class TargetLocks {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  /** Every line under one hash tag: JOIN touches several at once, which a Redis Cluster allows in one slot only. */
  private key(target: string): string {
    return `{${this.prefix}:targets}:${target}`;
  }

  async join(member: LineMember, targets: readonly string[]): Promise<void> {
    if (targets.length === 0) return;
    await this.redis.eval(JOIN, targets.length, ...targets.map((t) => this.key(t)), memberKey(member));
  }

  async leave(member: LineMember, targets: readonly string[]): Promise<void> {
    if (targets.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const target of targets) pipeline.lrem(this.key(target), 0, memberKey(member));
    await pipeline.exec();
  }

  /** The member ahead of `member` on one of its targets, or undefined when it may run now. */
  async ahead(
    member: LineMember,
    targets: readonly string[],
    stillWaiting: StillWaiting,
  ): Promise<{ member: LineMember; target: string } | undefined> {
    // A member missing from a line (Redis lost it, or it was queued before lines existed) joins the end.
    await this.join(member, targets);
    const me = memberKey(member);
    for (const target of targets) {
      for (;;) {
        const head = await this.redis.lindex(this.key(target), 0);
        if (head === null || head === me) break;
        const other = parseMember(head);
        if (other && (await stillWaiting(other))) return { member: other, target };
        await this.redis.eval(DROP_HEAD, 1, this.key(target), head);
      }
    }
    return undefined;
  }
}
