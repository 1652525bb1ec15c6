import { type Logger, LogLevel, WebAPIPlatformError, WebClient, type WebClientOptions } from '@slack/web-api';
import { afterEach, beforeEach, expect } from 'vitest';
import { createFakeSlack, type FakeSlack } from '../../../src/fake-slack/index.js';

export const TOKEN = 'xoxb-test-token';

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export interface FakeSlackFixture {
  /** The fake started for the current test. */
  readonly fake: FakeSlack;
  readonly apiUrl: string;
  /** A WebClient as the bot builds one, pointed at the fake; no retries unless a test asks. */
  client(options?: WebClientOptions): WebClient;
}

/** Starts a fresh fake Slack before each test of the file and stops it after. */
export function useFakeSlack(): FakeSlackFixture {
  let fake: FakeSlack | undefined;
  let apiUrl = '';
  beforeEach(async () => {
    fake = createFakeSlack({ botToken: TOKEN });
    apiUrl = await fake.start();
  });
  afterEach(async () => {
    await fake?.stop();
  });
  return {
    get fake() {
      if (!fake) throw new Error('useFakeSlack: the fake exists only inside a test');
      return fake;
    },
    get apiUrl() {
      return apiUrl;
    },
    client: (options = {}) =>
      new WebClient(TOKEN, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logger: silent, ...options }),
  };
}

/** The platform error code of a rejected call (fails the test if the call did not fail that way). */
export async function platformError(call: Promise<unknown>): Promise<string | undefined> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebAPIPlatformError);
  return (err as WebAPIPlatformError).data.error;
}
