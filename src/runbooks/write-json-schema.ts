import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { runbookSchema } from './runbook-schema.js';

/** Where editors find the schema: `# yaml-language-server: $schema=./runbook.schema.json`. */
export const RUNBOOK_JSON_SCHEMA_PATH = 'commands/runbook.schema.json';

/**
 * The runbook format as JSON Schema, for completion and checks in editors. Generated from the zod
 * schema so the two never disagree; the cross-reference checks (unique ids, undo and probe names)
 * are refinements JSON Schema cannot express, so only the loader reports those.
 *
 * `io: 'input'` describes what a person writes: fields with defaults are optional. Draft-07 is
 * the draft the YAML language server supports best.
 */
export function runbookJsonSchema(): Record<string, unknown> {
  // The default `unrepresentable: 'throw'` is kept: a transform added to the schema later should
  // fail this generation loudly rather than quietly accept anything in editors.
  const schema = z.toJSONSchema(runbookSchema, { io: 'input', target: 'draft-07' });
  return {
    ...schema,
    title: 'Firebreak runbook',
    description: 'One incident kind of Firebreak: commands/<kind>.yaml',
  };
}

/** The file's exact text: stable key order and a final newline, so a regeneration diffs cleanly. */
export function runbookJsonSchemaText(): string {
  return `${JSON.stringify(runbookJsonSchema(), null, 2)}\n`;
}

/** Writes {@link RUNBOOK_JSON_SCHEMA_PATH} (or `path`); run after every change to runbook-schema.ts. */
export async function writeJsonSchema(path = RUNBOOK_JSON_SCHEMA_PATH): Promise<void> {
  await writeFile(path, runbookJsonSchemaText());
}

// `tsx src/runbooks/write-json-schema.ts [path]` (npm run schema).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const path = process.argv[2] ?? RUNBOOK_JSON_SCHEMA_PATH;
  await writeJsonSchema(path);
  console.log(`wrote ${path}`);
}
