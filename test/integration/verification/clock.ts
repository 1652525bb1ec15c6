/** A clock the test moves: the core reads `now()`, the test calls `set()` / `advance()`. */
export function testClock(start = '2026-11-25T10:00:00.000Z') {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(iso: string) {
      current = new Date(iso);
    },
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
    },
    iso: () => current.toISOString(),
  };
}

export const MINUTE = 60_000;
