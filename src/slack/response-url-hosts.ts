const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether the bot may post to `url` as a response_url: its host (`hooks.slack.com`, or
 * `127.0.0.1:4321` for a fake) is one of `hosts`, over https — plain http only on loopback, where
 * the tests' fake Slack listens — and it carries no credentials. A signed payload could otherwise
 * make the bot post its answers (and requests) to any address it names.
 */
export function isResponseUrlAllowed(url: unknown, hosts: readonly string[]): boolean {
  if (typeof url !== 'string') return false;
  const parsed = URL.parse(url);
  if (!parsed || parsed.username || parsed.password) return false;
  if (!hosts.includes(parsed.host) && !hosts.includes(parsed.hostname)) return false;
  return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname));
}
