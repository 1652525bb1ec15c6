import { createHash } from 'node:crypto';
import type { FakeBlock } from './fake-slack-types.js';

/**
 * The Block Kit limits Slack enforces most often, so a message the fake accepts would not be refused by
 * Slack with `invalid_blocks` for these reasons. Messages use Slack's wording and JSON pointers.
 */
const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  id: 255,
} as const;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(v: unknown): string | undefined {
  return isObj(v) && typeof v.text === 'string' ? v.text : undefined;
}

/** Returns Slack-style error strings (empty when the blocks are acceptable); views allow 100 blocks. */
export function validateBlocks(blocks: unknown, maxBlocks: number = LIMITS.blocks): string[] {
  if (!Array.isArray(blocks)) return ['must provide an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  const tooLong = (value: string | undefined, max: number, at: string) => {
    if (value !== undefined && value.length > max)
      errors.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
  };
  if (blocks.length > maxBlocks)
    errors.push(`no more than ${maxBlocks} items allowed [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const at = `/blocks/${i}`;
    if (!isObj(block) || typeof block.type !== 'string') {
      errors.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === 'string') {
      tooLong(block.block_id, LIMITS.id, `${at}/block_id`);
      if (blockIds.has(block.block_id)) errors.push(`duplicate block_id [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    if (block.type === 'header') {
      const text = textOf(block.text);
      if (!text) errors.push(`must be more than 0 characters [json-pointer:${at}/text/text]`);
      tooLong(text, LIMITS.headerText, `${at}/text/text`);
    } else if (block.type === 'section') {
      const fields = Array.isArray(block.fields) ? block.fields : undefined;
      if (block.text === undefined && fields === undefined) {
        errors.push(`must provide either text or fields [json-pointer:${at}]`);
      }
      if (block.text !== undefined && !textOf(block.text)) {
        errors.push(`must be more than 0 characters [json-pointer:${at}/text/text]`);
      }
      tooLong(textOf(block.text), LIMITS.sectionText, `${at}/text/text`);
      if (fields && fields.length > LIMITS.sectionFields) {
        errors.push(`no more than ${LIMITS.sectionFields} items allowed [json-pointer:${at}/fields]`);
      }
      for (const [j, f] of (fields ?? []).entries())
        tooLong(textOf(f), LIMITS.fieldText, `${at}/fields/${j}/text`);
      if (isObj(block.accessory)) checkElement(block.accessory, `${at}/accessory`, tooLong);
    } else if (block.type === 'actions' || block.type === 'context') {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      const max = block.type === 'actions' ? LIMITS.actionsElements : LIMITS.contextElements;
      if (elements.length === 0) errors.push(`must provide at least 1 item [json-pointer:${at}/elements]`);
      if (elements.length > max)
        errors.push(`no more than ${max} items allowed [json-pointer:${at}/elements]`);
      const actionIds = new Set<string>();
      elements.forEach((el: unknown, j) => {
        if (!isObj(el)) return;
        if (block.type === 'actions') checkElement(el, `${at}/elements/${j}`, tooLong);
        if (typeof el.action_id === 'string') {
          if (actionIds.has(el.action_id))
            errors.push(`duplicate action_id [json-pointer:${at}/elements/${j}]`);
          actionIds.add(el.action_id);
        }
      });
    }
  });
  return errors;
}

function checkElement(
  el: Obj,
  at: string,
  tooLong: (value: string | undefined, max: number, at: string) => void,
): void {
  if (typeof el.action_id === 'string') tooLong(el.action_id, LIMITS.id, `${at}/action_id`);
  if (el.type !== 'button') return;
  tooLong(textOf(el.text), LIMITS.buttonText, `${at}/text/text`);
  if (typeof el.value === 'string') tooLong(el.value, LIMITS.buttonValue, `${at}/value`);
  if (typeof el.url === 'string') tooLong(el.url, LIMITS.buttonUrl, `${at}/url`);
}

function generatedId(seed: string): string {
  return createHash('sha1')
    .update(seed)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 5);
}

/**
 * Copies the blocks as Slack stores them: a block without `block_id`, or an interactive element without
 * `action_id`, gets a generated one, so code that relies on ids it never set breaks here as it would there.
 */
export function normalizeBlocks(blocks: readonly unknown[], seed: string): FakeBlock[] {
  return blocks.map((raw, i) => {
    const block = structuredClone(raw) as FakeBlock;
    block.block_id ??= generatedId(`${seed}/${i}`);
    const elements = block.type === 'actions' && Array.isArray(block.elements) ? block.elements : [];
    const accessory = isObj(block.accessory) ? [block.accessory] : [];
    for (const [j, el] of [...elements, ...accessory].entries()) {
      if (isObj(el) && el.type !== 'image' && typeof el.action_id !== 'string') {
        el.action_id = generatedId(`${seed}/${i}/${j}`);
      }
    }
    return block;
  });
}
