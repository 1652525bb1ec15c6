import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, type RunningRedisServer, startRedisServer } from '../../src/dev/start-redis-server.js';

const run = promisify(execFile);

/** `redis-cli` against a loopback port; the answer as text. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 15_000,
  });
  return stdout.trim();
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RedisCluster {
  /** `redis+cluster://127.0.0.1:<p1>,…`: Firebreak's REDIS_URL for it. */
  url: string;
  nodes: RunningRedisServer[];
  stop(): Promise<void>;
}

/** A real Redis Cluster of `masters` masters on free loopback ports (no replicas), formed by `redis-cli --cluster create`. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const nodes: RunningRedisServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    for (let i = 0; i < masters; i++) {
      nodes.push(
        await startRedisServer({ args: ['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000'] }),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      {
        timeout: 30_000,
      },
    );
    for (const node of nodes) {
      await until(`cluster_state:ok on ${node.port}`, async () =>
        (await redisCli(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    }
    return { url: `redis+cluster://${addresses.join(',')}`, nodes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface RedisSentinelSet {
  /** `redis+sentinel://127.0.0.1:<s1>,…/mymaster`: Firebreak's REDIS_URL for it. */
  url: string;
  master: RunningRedisServer;
  replica: RunningRedisServer;
  sentinels: number[];
  /** The port of the master the Sentinels name now. */
  masterPort(): Promise<number>;
  /** A forced failover (SENTINEL FAILOVER): resolves once the Sentinels name the other server. */
  failover(): Promise<number>;
  stop(): Promise<void>;
}

const MASTER = 'mymaster';

/** A master, its replica and three Sentinels (quorum 2) on free loopback ports. */
export async function startRedisSentinels(): Promise<RedisSentinelSet> {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const servers: RunningRedisServer[] = [];
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const master = await startRedisServer();
    servers.push(master);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    servers.push(replica);
    await until('the replica to sync', async () =>
      (await redisCli(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
    );
    const sentinels: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'firebreak-sentinel-'));
      dirs.push(dir);
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${MASTER} 127.0.0.1 ${master.port} 2`,
          `sentinel down-after-milliseconds ${MASTER} 1000`,
          `sentinel failover-timeout ${MASTER} 5000`,
          `sentinel parallel-syncs ${MASTER} 1`,
          '',
        ].join('\n'),
      );
      const child = spawn('redis-sentinel', [conf], { stdio: 'ignore' });
      children.push(child);
      process.once('exit', () => child.kill('SIGKILL'));
      await until(`sentinel on ${port}`, async () => (await redisCli(port, 'PING')) === 'PONG');
      sentinels.push(port);
    }
    const masterPort = async () => {
      const answer = await redisCli(sentinels[0] as number, 'SENTINEL', 'get-master-addr-by-name', MASTER);
      return Number(answer.split('\n')[1]);
    };
    await until('the sentinels to know each other and the replica', async () => {
      const info = await redisCli(sentinels[0] as number, 'SENTINEL', 'master', MASTER);
      const field = (name: string) => Number(info.split('\n')[info.split('\n').indexOf(name) + 1]);
      return field('num-other-sentinels') === 2 && field('num-slaves') === 1;
    });
    return {
      url: `redis+sentinel://${sentinels.map((p) => `127.0.0.1:${p}`).join(',')}/${MASTER}`,
      master,
      replica,
      sentinels,
      masterPort,
      async failover() {
        const before = await masterPort();
        await redisCli(sentinels[0] as number, 'SENTINEL', 'FAILOVER', MASTER);
        await until('the failover', async () => (await masterPort()) !== before);
        const now = await masterPort();
        await until('the new master to take writes', async () =>
          (await redisCli(now, 'INFO', 'replication')).includes('role:master'),
        );
        return now;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
