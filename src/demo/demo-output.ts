import { type FakeMessage, type FakeSlack, renderMessage, renderTranscript } from '../fake-slack/index.js';
import { terminalText } from './terminal-text.js';

const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36', magenta: '35' } as const;
type Style = keyof typeof SGR;

export interface DemoOutputOptions {
  /** ANSI colours: on when stdout is a terminal (and NO_COLOR is unset). */
  color: boolean;
  /** Display names for user ids, as the Slack client shows them. */
  userNames: Readonly<Record<string, string>>;
  /** @defaultValue writes to stdout */
  write?: (text: string) => void;
}

/** The demo's voice: numbered sections, narration, results, and Slack messages rendered for a terminal. */
export interface DemoOutput {
  readonly color: boolean;
  /** Set once fake Slack runs, so messages show user and channel names. */
  useSlack(slack: FakeSlack): void;
  paint(text: string, ...styles: Style[]): string;
  title(text: string): void;
  /** `── 3 · title ───` */
  section(title: string): void;
  /** A narration line: what happens next, and why. */
  say(text: string): void;
  /** A quieter line: detail a newcomer may skip. */
  note(text: string): void;
  ok(text: string): void;
  fail(text: string): void;
  /** Lines indented under the current narration. */
  block(text: string, indent?: number): void;
  /** One message as the Slack client shows it (without its thread replies). */
  renderMessage(message: FakeMessage): string;
  /** A whole channel: header, messages, their threads. */
  renderTranscript(channelId: string): string;
}

export function createDemoOutput(options: DemoOutputOptions): DemoOutput {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const { color } = options;
  let slack: FakeSlack | undefined;
  let sectionNo = 0;

  const paint = (text: string, ...styles: Style[]) =>
    color && styles.length > 0 ? `\x1b[${styles.map((s) => SGR[s]).join(';')}m${text}\x1b[0m` : text;
  const line = (text = '') => write(`${text}\n`);
  const userNames = () => ({ ...options.userNames, ...(slack ? { [slack.botUserId]: 'firebreak' } : {}) });
  const forTerminal = (text: string) =>
    terminalText(text, {
      color,
      channelName: (id) => slack?.channels().find((c) => c.id === id)?.name,
    });

  return {
    color,
    useSlack(fake) {
      slack = fake;
    },
    paint,
    title(text) {
      line(paint(text, 'bold'));
    },
    section(title) {
      sectionNo += 1;
      const head = `── ${sectionNo} · ${title} `;
      line();
      line(paint(head + '─'.repeat(Math.max(3, 78 - head.length)), 'bold', 'magenta'));
    },
    say(text) {
      line(`  ${text}`);
    },
    note(text) {
      line(paint(`  ${text}`, 'dim'));
    },
    ok(text) {
      line(`  ${paint('✓', 'green', 'bold')} ${text}`);
    },
    fail(text) {
      line(`  ${paint('✗', 'red', 'bold')} ${text}`);
    },
    block(text, indent = 4) {
      const pad = ' '.repeat(indent);
      line(
        text
          .split('\n')
          .map((l) => (l ? pad + l : l))
          .join('\n'),
      );
    },
    renderMessage(message) {
      return forTerminal(renderMessage(message, { color, userNames: userNames() }));
    },
    renderTranscript(channelId) {
      if (!slack) return '';
      return forTerminal(renderTranscript(slack, channelId, { color, userNames: userNames() }));
    },
  };
}
