import { z } from 'zod';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `10m`, `2h`, `90d` → milliseconds; undefined for anything else. */
function parseSpan(text: string): number | undefined {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 ? ms : undefined;
}

/**
 * `<count>/<span>` (`5/10m`: at most 5 within any 10 minutes) or `off`; the parsed value is
 * undefined for `off`.
 */
export const windowLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      if (text.trim().toLowerCase() === 'off') return undefined;
      const [count, span] = text.split('/');
      const windowMs = parseSpan(span ?? '');
      if (!/^\d+$/.test(count?.trim() ?? '') || Number(count) < 1 || windowMs === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `a limit such as ${fallback} (count/duration: s, m, h, d) or off`,
        });
        return z.NEVER;
      }
      return { count: Number(count), windowMs };
    });

/** A span such as `90d` or `12h`, or `off` (undefined). */
export const span = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      if (text.trim().toLowerCase() === 'off') return undefined;
      const ms = parseSpan(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `a duration such as ${fallback} (s, m, h, d) or off` });
        return z.NEVER;
      }
      return ms;
    });

/** A comma-separated list of words matching `pattern`, one issue naming every bad entry. */
export const wordList = (pattern: RegExp, what: string) =>
  z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(/[\s,]+/)
        .map((w) => w.trim())
        .filter(Boolean),
    )
    .superRefine((words, ctx) => {
      const bad = words.filter((w) => !pattern.test(w));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${what}, comma-separated (not ${bad.map((w) => JSON.stringify(w)).join(', ')})`,
        });
      }
    });
