// Generates JSON Schema from the zod protocol, for adapters not written in TypeScript:
// docs/schema/adapter-message.schema.json (what adapters send) and orchestrator-message.schema.json
// (what they receive). `npm run schema` writes them; a test fails when the committed files are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { AdapterMessage, OrchestratorMessage, PROTOCOL_VERSION } from '../shared/protocol/index.js';

const opts = { target: 'draft-2020-12', unrepresentable: 'any', io: 'input', reused: 'ref' } as const;
const note =
  'Generated from shared/protocol (zod) by `npm run schema`; do not edit. Numbers must also be finite (NaN/Infinity rejected) and ids may not be __proto__/constructor/prototype, which JSON Schema cannot express.';

export function protocolJsonSchemas(): Record<string, unknown> {
  return {
    'adapter-message.schema.json': {
      title: `VibeSync adapter → orchestrator message, protocol v${PROTOCOL_VERSION}`,
      description: note,
      ...z.toJSONSchema(AdapterMessage, opts),
    },
    'orchestrator-message.schema.json': {
      title: `VibeSync orchestrator → adapter message, protocol v${PROTOCOL_VERSION}`,
      description: note,
      ...z.toJSONSchema(OrchestratorMessage, opts),
    },
  };
}

export const SCHEMA_DIR = new URL('../docs/schema/', import.meta.url);
export const schemaText = (schema: unknown) => JSON.stringify(schema, null, 2) + '\n';

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [file, schema] of Object.entries(protocolJsonSchemas())) {
    writeFileSync(new URL(file, SCHEMA_DIR), schemaText(schema));
    console.log(`wrote docs/schema/${file}`);
  }
}
