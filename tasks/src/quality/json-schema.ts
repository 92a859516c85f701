import { z } from 'zod';
import { CATALOG, SUPPORTED_TYPES } from './catalog';

/**
 * The JSON Schema of a suite file, generated from the same zod schemas the engine checks suites
 * with (so editors and other tools see exactly the rules the gate applies). Committed as
 * expectations/suite.schema.json; a unit test fails when the file and this function disagree.
 */
export function suiteJsonSchema(): Record<string, unknown> {
  const expectation = (type: string) => ({
    type: 'object',
    additionalProperties: false,
    required: ['type', 'kwargs'],
    properties: {
      type: { const: type },
      kwargs: stripMeta(z.toJSONSchema(CATALOG[type]!.kwargs, { unrepresentable: 'any', io: 'input' })),
      meta: { type: 'object' },
      id: { type: ['string', 'null'] },
      notes: {},
      description: { type: ['string', 'null'] },
      severity: { enum: ['critical', 'warning', 'info'] },
    },
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Great Expectations 1.x expectation suite (the subset sales-pipeline quality-gate evaluates)',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'expectations'],
    properties: {
      name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
      expectations: { type: 'array', items: { oneOf: SUPPORTED_TYPES.map(expectation) } },
      meta: { type: 'object' },
      id: { type: ['string', 'null'] },
      notes: {},
      suite_parameters: { type: 'object' },
    },
  };
}

function stripMeta(schema: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...schema };
  delete rest.$schema;
  return rest;
}
