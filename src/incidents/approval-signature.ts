import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an approval says, and what its signature covers. */
export interface ApprovalRecord {
  incidentId: string;
  actionId: string;
  attempt: number;
  /** Who approved (actor ids); order does not matter. */
  approvers: readonly string[];
  /** The digest of the bot's runbook (`runbookDigest`): the action the approvers saw. */
  runbook: string;
}

/** An approval as the action state keeps it: who, which runbook, and the bot's HMAC over both and the ids. */
export interface SignedApproval {
  approvers: string[];
  runbook: string;
  mac: string;
}

/**
 * Signs and checks approvals with APPROVAL_SIGNING_KEY, shared by the bot and its workers. The key
 * lives in this closure only: never in a property a logger or `JSON.stringify` could reach.
 */
export interface ApprovalSigner {
  sign(record: ApprovalRecord): SignedApproval;
  verify(record: ApprovalRecord, mac: string): boolean;
  /** HMAC-SHA256 over arbitrary text (probe requests); hex. */
  mac(text: string): string;
  /** Constant-time comparison of `mac` with this key's MAC of `text`. */
  check(text: string, mac: string): boolean;
  /**
   * A fingerprint of the key (8 hex digits of an HMAC of a fixed label): workers announce it, so the
   * bot can say "gen-1 holds a different key" without either side revealing the key.
   */
  keyId: string;
}

/** The signed text: a JSON array, so no id can smuggle a separator. Versioned, so the scheme can change. */
export function approvalPayload(record: ApprovalRecord): string {
  return JSON.stringify([
    'firebreak-approval/1',
    record.incidentId,
    record.actionId,
    record.attempt,
    [...record.approvers].sort(),
    record.runbook,
  ]);
}

export function createApprovalSigner(key: string): ApprovalSigner {
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('hex');
  const check = (text: string, given: string) => {
    const expected = Buffer.from(mac(text), 'hex');
    const actual = Buffer.from(given, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  return {
    sign: (record) => ({
      approvers: [...record.approvers].sort(),
      runbook: record.runbook,
      mac: mac(approvalPayload(record)),
    }),
    verify: (record, given) => check(approvalPayload(record), given),
    mac,
    check,
    keyId: mac('firebreak-key-id').slice(0, 8),
  };
}
