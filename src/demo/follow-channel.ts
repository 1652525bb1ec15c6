import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeMessage, FakeSlack } from '../fake-slack/index.js';
import type { DemoOutput } from './demo-output.js';

export interface ChannelFollower {
  /**
   * Prints every message posted or edited in the channel since the last call, polling until `until()`
   * holds (checked after each print, so what led to it is shown). Rejects after `timeoutMs`.
   */
  follow(what: string, until: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Counts what is there now as printed (e.g. after printing it another way). */
  skipSeen(): void;
}

export interface FollowOptions {
  /** Messages printed in full when new; others get one summary line (the final transcript has them all). */
  showInFull(message: FakeMessage): boolean;
}

const isCard = (m: FakeMessage) => m.blocks.some((b) => b.block_id?.startsWith('action-'));

/**
 * Follows an incident channel the way a person watching Slack would: new thread replies as they arrive,
 * and, for edited messages (the header, action cards), only the lines that changed.
 */
export function followChannel(
  slack: FakeSlack,
  channelId: string,
  out: DemoOutput,
  options: FollowOptions,
): ChannelFollower {
  const seen = new Map<string, string[]>();
  const all = (): FakeMessage[] =>
    slack.messages(channelId).flatMap((m) => [m, ...m.replies.filter((r) => r.ts !== m.ts)]);
  const body = (m: FakeMessage) => out.renderMessage(m).split('\n').slice(1);

  const printNew = (m: FakeMessage, lines: string[]) => {
    const head = out.renderMessage(m).split('\n')[0] ?? '';
    const arrow = out.paint(m.thread_ts && m.thread_ts !== m.ts ? '↳' : '•', 'cyan');
    if (lines.length === 1) return out.block(`${arrow} ${head}  ${(lines[0] ?? '').trim()}`, 2);
    if (!options.showInFull(m) && isCard(m)) {
      const actions = m.blocks.filter((b) => b.block_id?.startsWith('action-')).length;
      const title = (lines[0] ?? '').trim();
      return out.block(
        `${arrow} ${head}  ${title} ${out.paint(`(a card with ${actions} actions)`, 'dim')}`,
        2,
      );
    }
    out.block(`${arrow} ${head}`, 2);
    out.block(lines.join('\n'), 2);
  };

  const printEdit = (before: string[], after: string[]) => {
    const old = new Set(before);
    const title = (after[0] ?? '').trim();
    // Resolving locks every action at once: one line per distinct change reads better than nine equal ones.
    const counts = new Map<string, number>();
    for (const l of after) {
      const line = l.trim();
      if (!old.has(l) && line !== '' && line !== title) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    if (counts.size === 0 && old.has(after[0] ?? '')) return;
    const shown = [...counts].map(([line, n]) => (n > 1 ? `${line} ${out.paint(`(×${n})`, 'dim')}` : line));
    out.block(`${out.paint('✎', 'yellow')} ${out.paint('edited', 'dim')}  ${title}`, 2);
    if (shown.length > 0) out.block(shown.join('\n'), 6);
  };

  // One poll may catch several posts and edits: print them in the order Slack received them.
  const poll = () => {
    const events: { at: string; print: () => void }[] = [];
    for (const m of all()) {
      const lines = body(m);
      const before = seen.get(m.ts);
      seen.set(m.ts, lines);
      if (!before) events.push({ at: m.ts, print: () => printNew(m, lines) });
      else if (before.join('\n') !== lines.join('\n')) {
        events.push({ at: m.edited?.ts ?? m.ts, print: () => printEdit(before, lines) });
      }
    }
    events.sort((a, b) => Number.parseFloat(a.at) - Number.parseFloat(b.at));
    for (const event of events) event.print();
  };

  return {
    async follow(what, until, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        poll();
        if (await until()) return;
        if (Date.now() > deadline)
          throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
        await sleep(100);
      }
    },
    skipSeen() {
      for (const m of all()) seen.set(m.ts, body(m));
    },
  };
}
