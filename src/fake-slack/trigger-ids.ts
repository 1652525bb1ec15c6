import { createHmac, randomBytes } from 'node:crypto';

/**
 * Trigger ids look like Slack's (`<ms>.<team number>.<hex>`) and carry their issue time and user, sealed
 * with an HMAC, so the payload builders (plain functions) issue triggers any fake Slack can check — even
 * one in another process — without a registry. The key only tells the fake's own triggers from made-up
 * ones; it protects nothing.
 */
const KEY = 'firebreak-fake-slack-trigger-ids';
const TEAM_NUMBER = '47445629121';
const MAC_HEX = 24;
const NONCE_HEX = 8;

/** Slack lets an app exchange a trigger for a view within 3 seconds of the interaction. */
export const TRIGGER_LIFETIME_MS = 3000;

const mac = (issuedAt: number, nonce: string, userHex: string) =>
  createHmac('sha256', KEY).update(`${issuedAt}.${nonce}.${userHex}`).digest('hex').slice(0, MAC_HEX);

/**
 * A trigger id as Slack puts in an interaction payload, for `userId`, issued at `issuedAt` (ms; pass an
 * older time to get one that `views.open` refuses as expired, without waiting).
 */
export function issueTriggerId(userId: string, issuedAt = Date.now()): string {
  const nonce = randomBytes(NONCE_HEX / 2).toString('hex');
  const userHex = Buffer.from(userId, 'utf8').toString('hex');
  return `${issuedAt}.${TEAM_NUMBER}.${nonce}${userHex}${mac(issuedAt, nonce, userHex)}`;
}

/** What a trigger id the fake issued says; undefined for any other string (Slack: `invalid_trigger_id`). */
export function readTriggerId(triggerId: string): { issuedAt: number; userId: string } | undefined {
  const match = /^(\d+)\.\d+\.([0-9a-f]+)$/.exec(triggerId);
  const hex = match?.[2];
  if (!match || !hex || hex.length <= NONCE_HEX + MAC_HEX) return undefined;
  const issuedAt = Number(match[1]);
  const nonce = hex.slice(0, NONCE_HEX);
  const userHex = hex.slice(NONCE_HEX, -MAC_HEX);
  if (hex.slice(-MAC_HEX) !== mac(issuedAt, nonce, userHex)) return undefined;
  return { issuedAt, userId: Buffer.from(userHex, 'hex').toString('utf8') };
}
