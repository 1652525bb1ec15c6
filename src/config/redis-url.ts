/**
 * Where Firebreak's Redis is, as one URL, for the three ways Redis runs in production:
 *
 * - `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS): one server;
 * - `redis+sentinel://[user:password@]host:port,host:port…/<master name>[/db][?sentinelPassword=…]`:
 *   the Sentinels to ask for the current master (failover follows them);
 * - `redis+cluster://[user:password@]host:port,host:port…`: seed nodes of a Redis Cluster.
 *
 * `rediss+sentinel://` and `rediss+cluster://` use TLS. A list of hosts is not a WHATWG URL (the
 * port would be `6379,host`), so the list forms are parsed here rather than by `new URL`.
 */
export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | {
      mode: 'sentinel';
      nodes: RedisNode[];
      masterName: string;
      db: number;
      tls: boolean;
      username?: string;
      password?: string;
      sentinelPassword?: string;
    }
  | { mode: 'cluster'; nodes: RedisNode[]; tls: boolean; username?: string; password?: string };

export interface RedisNode {
  host: string;
  port: number;
}

export type ParsedRedisUrl = { ok: true; target: RedisTarget } | { ok: false; error: string };

const LIST_FORM =
  /^(rediss?)\+(sentinel|cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/;

function parseNodes(list: string, defaultPort: number): RedisNode[] | string {
  const nodes: RedisNode[] = [];
  for (const item of list.split(',')) {
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(item.trim());
    if (!match?.[1]) return `"${item}" is not host:port`;
    const port = match[2] ? Number(match[2]) : defaultPort;
    if (port < 1 || port > 65535) return `port ${port} is out of range`;
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  return nodes;
}

const decode = (value: string | undefined) => (value ? decodeURIComponent(value) : undefined);

/** Parses a REDIS_URL; the error says what is wrong and what the forms are. */
export function parseRedisUrl(raw: string): ParsedRedisUrl {
  const url = raw.trim();
  if (/^rediss?:\/\//.test(url)) {
    try {
      new URL(url);
      return { ok: true, target: { mode: 'standalone', url } };
    } catch {
      return { ok: false, error: 'a URL such as redis://127.0.0.1:6379 (this one does not parse)' };
    }
  }
  const match = LIST_FORM.exec(url);
  if (!match) {
    return {
      ok: false,
      error:
        'a URL such as redis://127.0.0.1:6379, redis+sentinel://host:26379,host:26379/<master> or redis+cluster://host:6379,host:6379',
    };
  }
  const [, scheme, mode, username, password, hosts = '', path = '', query = ''] = match;
  const nodes = parseNodes(hosts, mode === 'sentinel' ? 26379 : 6379);
  if (typeof nodes === 'string') return { ok: false, error: `${nodes} in the host list` };
  const credentials = {
    ...(decode(username) ? { username: decode(username) as string } : {}),
    ...(decode(password) ? { password: decode(password) as string } : {}),
  };
  const tls = scheme === 'rediss';
  if (mode === 'cluster') return { ok: true, target: { mode: 'cluster', nodes, tls, ...credentials } };
  const [masterName, db = '0'] = path.split('/').filter(Boolean);
  if (!masterName)
    return { ok: false, error: 'redis+sentinel:// needs the master name as its path: /mymaster' };
  if (!/^\d+$/.test(db)) return { ok: false, error: `database "${db}" is not a number` };
  const sentinelPassword = new URLSearchParams(query).get('sentinelPassword') ?? undefined;
  return {
    ok: true,
    target: {
      mode: 'sentinel',
      nodes,
      masterName: decodeURIComponent(masterName),
      db: Number(db),
      tls,
      ...credentials,
      ...(sentinelPassword ? { sentinelPassword } : {}),
    },
  };
}

/** The URL with its passwords masked, for logs. */
export function redactRedisUrl(raw: string): string {
  return raw.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/, '$1***@').replace(/(sentinelPassword=)[^&]*/, '$1***');
}
