import type { FetchFunction } from '@slack/web-api';
import type { SecretMask } from '../secrets/secret-mask.js';
import { isResponseUrlAllowed } from './response-url-hosts.js';

export interface GuardedFetchOptions {
  /** The Web API's base URL (`https://slack.com/api/`): calls under it are the Web API's own. */
  apiUrl: string;
  /** Hosts a response_url may point at (SLACK_RESPONSE_URL_HOSTS). */
  responseUrlHosts: readonly string[];
  mask: SecretMask;
  /** @defaultValue globalThis.fetch */
  fetch?: FetchFunction;
}

/** Masks every string inside a JSON value. */
function maskDeep(value: unknown, mask: SecretMask): unknown {
  if (typeof value === 'string') return mask.apply(value);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, mask));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)]));
  }
  return value;
}

/** A request body with every value masked: web-api's form (the `token` field is the bot's own), or JSON. */
function maskBody(body: string, contentType: string | undefined, mask: SecretMask): string {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body);
    const masked = new URLSearchParams();
    for (const [key, value] of form) {
      if (key === 'token') masked.append(key, value);
      else if (key === 'blocks' || key === 'attachments' || key === 'metadata') {
        // JSON inside a form field: mask its strings, keep it JSON.
        try {
          masked.append(key, JSON.stringify(maskDeep(JSON.parse(value), mask)));
        } catch {
          masked.append(key, mask.apply(value));
        }
      } else masked.append(key, mask.apply(value));
    }
    return masked.toString();
  }
  try {
    return JSON.stringify(maskDeep(JSON.parse(body), mask));
  } catch {
    return mask.apply(body);
  }
}

/**
 * The one door every request of the Slack surface goes through (the Web API client, Bolt's
 * `respond`, the requester's notices): nothing secret or credential-shaped leaves in a body, and
 * nothing is posted outside Slack's API and response-URL hosts — whatever URL a payload carried.
 */
export function guardedFetch(options: GuardedFetchOptions): FetchFunction {
  const send: FetchFunction = options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
  return async (url, init) => {
    const target = String(url);
    if (!target.startsWith(options.apiUrl) && !isResponseUrlAllowed(target, options.responseUrlHosts)) {
      const host = URL.parse(target)?.host ?? 'an unparsable URL';
      throw new Error(
        `refused to post to ${host}: not Slack's API nor a Slack response URL host (SLACK_RESPONSE_URL_HOSTS)`,
      );
    }
    if (!init || typeof init.body !== 'string') return send(url, init);
    const headers = init.headers ?? {};
    const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    return send(url, { ...init, body: maskBody(init.body, contentType, options.mask) });
  };
}
