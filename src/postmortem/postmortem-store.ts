import type { Redis } from 'ioredis';

/** A written postmortem: the Markdown, its version (1, 2, … each rewrite) and when it was written. */
export interface StoredPostmortem {
  markdown: string;
  version: number;
  writtenAt: string;
}

/** The postmortem kept with its incident: `<prefix>inc:<id>:postmortem` (hash), the latest version. */
export class RedisPostmortemStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'fb:',
  ) {}

  private key(id: string): string {
    return `${this.prefix}inc:${id}:postmortem`;
  }

  /** Saves a new version; returns its number. */
  async save(id: string, markdown: string, writtenAt: string): Promise<number> {
    const [[, version]] = (await this.redis
      .multi()
      .hincrby(this.key(id), 'version', 1)
      .hset(this.key(id), 'markdown', markdown, 'writtenAt', writtenAt)
      .exec()) as [[Error | null, number], [Error | null, number]];
    return version;
  }

  async get(id: string): Promise<StoredPostmortem | undefined> {
    const hash = await this.redis.hgetall(this.key(id));
    if (!hash.markdown) return undefined;
    return { markdown: hash.markdown, version: Number(hash.version ?? 1), writtenAt: hash.writtenAt ?? '' };
  }
}
