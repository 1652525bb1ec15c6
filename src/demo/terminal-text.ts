/**
 * Slack shows emoji and bold where the fake's renderer leaves `:shortcodes:` and `*asterisks*`; a terminal
 * reader should see what a Slack user sees, so the demo converts the few the bot uses.
 */
const EMOJI: Readonly<Record<string, string>> = {
  '+1': '👍',
  arrow_forward: '▶',
  ballot_box_with_check: '☑',
  dart: '🎯',
  fast_forward: '⏩',
  grey_question: '❔',
  hammer_and_wrench: '🛠',
  hourglass_flowing_sand: '⏳',
  information_source: 'ℹ',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  no_entry: '⛔',
  raised_hand: '✋',
  red_circle: '🔴',
  rotating_light: '🚨',
  stethoscope: '🩺',
  warning: '⚠',
  white_check_mark: '✅',
  white_circle: '⚪',
  x: '❌',
};

export interface TerminalTextOptions {
  /** ANSI bold and italics for Slack's `*bold*` and `_italic_`; without, the marks are dropped. */
  color: boolean;
  /** Channel id → name, so `#C000000002` reads `#inc-20261124-503-k3f9` as Slack would show it. */
  channelName?: (id: string) => string | undefined;
}

// Slack's rule: `*` opens after a start, space or bracket and before a non-space; it closes before an
// end, space or punctuation. That leaves globs such as `find -name *.log` alone.
const BOLD = /(^|[\s(>•])\*(\S(?:[^*\n]*?\S)?)\*(?=$|[\s.,:;!?)])/gm;
// The same rule for `_italic_`, so snake_case names stay whole.
const ITALIC = /(^|[\s(>•])_(\S(?:[^_\n]*?\S)?)_(?=$|[\s.,:;!?)])/gm;

/** Slack mrkdwn residue (after the fake's renderer) turned into what a Slack reader would see. */
export function terminalText(text: string, options: TerminalTextOptions): string {
  return text
    .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole)
    .replace(BOLD, (_whole, before: string, inner: string) =>
      options.color ? `${before}\x1b[1m${inner}\x1b[22m` : `${before}${inner}`,
    )
    .replace(ITALIC, (_whole, before: string, inner: string) =>
      options.color ? `${before}\x1b[3m${inner}\x1b[23m` : `${before}${inner}`,
    )
    .replace(/#([CGD][A-Z0-9]{8,})\b/g, (whole, id: string) => {
      const name = options.channelName?.(id);
      return name ? `#${name}` : whole;
    });
}
