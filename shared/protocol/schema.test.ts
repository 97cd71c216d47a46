import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { protocolJsonSchemas, schemaText, SCHEMA_DIR } from '../../scripts/gen-schema.js';

describe('generated JSON Schema', () => {
  it.each(Object.keys(protocolJsonSchemas()))('docs/schema/%s is current — run `npm run schema` after changing shared/protocol', (file) => {
    const committed = readFileSync(new URL(file, SCHEMA_DIR), 'utf8');
    expect(committed).toBe(schemaText(protocolJsonSchemas()[file]));
  });
  it('forbids unknown fields for non-TypeScript adapters too', () => {
    const text = readFileSync(new URL('adapter-message.schema.json', SCHEMA_DIR), 'utf8');
    expect(text).toContain('"additionalProperties": false');
  });
});
