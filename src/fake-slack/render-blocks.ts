import type { FakeBlock } from './fake-slack-types.js';

/** How to render: ANSI styling, and display names for user ids (`<@U…>` → `@name`). */
export interface RenderOptions {
  /** ANSI bold/dim/colours for a terminal. @defaultValue false */
  color?: boolean;
  userNames?: Readonly<Record<string, string>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const ANSI = { bold: '1', dim: '2', underline: '4', green: '32', red: '31', cyan: '36' } as const;
export type Style = keyof typeof ANSI;

export function styled(text: string, styles: readonly Style[], options: RenderOptions): string {
  if (!options.color || styles.length === 0 || text === '') return text;
  return `\x1b[${styles.map((s) => ANSI[s]).join(';')}m${text}\x1b[0m`;
}

/** Slack's mrkdwn made readable: mentions, channel links and URLs unwrapped, entities decoded. */
export function mrkdwnToText(text: string, options: RenderOptions = {}): string {
  return text
    .replace(/<([^<>]+)>/g, (_whole, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@'))
        return `@${options.userNames?.[target.slice(1)] ?? label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!date')) return label ?? target;
      if (target.startsWith('!')) return `@${target.slice(1).split('^')[0]}`;
      return label ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textObject(v: unknown, options: RenderOptions): string {
  if (!isObj(v)) return '';
  const text = str(v.text);
  return v.type === 'mrkdwn' ? mrkdwnToText(text, options) : text;
}

/** One interactive element as a label in brackets: buttons by their text, menus by their placeholder. */
function elementLabel(el: unknown, options: RenderOptions): string {
  if (!isObj(el)) return '';
  switch (el.type) {
    case 'button': {
      const colour: Style[] = el.style === 'primary' ? ['green'] : el.style === 'danger' ? ['red'] : [];
      return styled(`[${textObject(el.text, options)}]`, ['bold', ...colour], options);
    }
    case 'overflow':
      return '[⋯]';
    case 'image':
      return `[image: ${str(el.alt_text)}]`;
    default: {
      const placeholder = textObject(el.placeholder, options) || str(el.type);
      return `[${placeholder} ▾]`;
    }
  }
}

function richText(v: unknown): string {
  if (!isObj(v)) return '';
  if (typeof v.text === 'string') return v.text;
  if (typeof v.url === 'string') return v.url;
  if (v.type === 'user' && typeof v.user_id === 'string') return `@${v.user_id}`;
  const children = Array.isArray(v.elements) ? v.elements.map(richText).join('') : '';
  return v.type === 'rich_text_section' || v.type === 'rich_text_preformatted' ? `${children}\n` : children;
}

/** A block as lines of terminal text (no trailing newline, no indentation). */
export function renderBlock(block: FakeBlock, options: RenderOptions = {}): string[] {
  switch (block.type) {
    case 'header': {
      const text = textObject(block.text, options);
      return [options.color ? styled(text, ['bold', 'underline'], options) : `== ${text} ==`];
    }
    case 'section': {
      const lines = textObject(block.text, options)
        .split('\n')
        .filter((l, i, all) => l || i < all.length - 1);
      const fields = Array.isArray(block.fields) ? block.fields : [];
      for (const field of fields) lines.push(`• ${textObject(field, options).replace(/\n+/g, ' ')}`);
      if (isObj(block.accessory) && block.accessory.type !== 'image') {
        const label = elementLabel(block.accessory, options);
        if (lines.length === 0) lines.push(label);
        else lines[0] = `${lines[0]}  ${label}`;
      }
      return lines;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      const parts = elements.map((el) =>
        isObj(el) && el.type === 'image' ? `[${str(el.alt_text)}]` : textObject(el, options),
      );
      return [styled(`› ${parts.join(' · ')}`, ['dim'], options)];
    }
    case 'divider':
      return [styled('─'.repeat(40), ['dim'], options)];
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      return [elements.map((el) => elementLabel(el, options)).join(' ')];
    }
    case 'image':
      return [`[image: ${str(block.alt_text)}]`];
    case 'rich_text':
      return richText(block).replace(/\n$/, '').split('\n');
    case 'input':
      return [`[input: ${textObject(block.label, options)}]`];
    default:
      return [`[${block.type} block]`];
  }
}

export function renderBlocks(blocks: readonly FakeBlock[], options: RenderOptions = {}): string[] {
  return blocks.flatMap((block) => renderBlock(block, options));
}
