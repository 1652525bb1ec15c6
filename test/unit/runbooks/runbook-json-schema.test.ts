import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  RUNBOOK_JSON_SCHEMA_PATH,
  runbookJsonSchema,
  runbookJsonSchemaText,
} from '../../../src/runbooks/write-json-schema.js';

describe('commands/runbook.schema.json', () => {
  it('is what the generator produces now (run `npm run schema` after changing the schema)', async () => {
    expect(await readFile(RUNBOOK_JSON_SCHEMA_PATH, 'utf8')).toBe(runbookJsonSchemaText());
  });

  it('describes the input: strict objects, defaulted fields optional', () => {
    const schema = runbookJsonSchema() as { required: string[]; additionalProperties: boolean };
    expect(schema.required.sort()).toEqual(['actions', 'groups', 'kind', 'probes', 'title']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('knows every top-level key the shipped runbooks use', async () => {
    const { properties } = runbookJsonSchema() as { properties: Record<string, unknown> };
    for (const file of ['commands/503.yaml', 'commands/redis-memory.yaml']) {
      const keys = Object.keys(parse(await readFile(file, 'utf8')) as object);
      for (const key of keys) expect(properties, `${file}: ${key}`).toHaveProperty(key);
    }
  });
});
