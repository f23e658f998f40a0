import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ITEM_PAGE_RESPONSE, SESSION_RESPONSE } from './response-schemas';

/** A schema of the OpenAPI document, as far as these checks read it. */
interface OpenApiSchema {
  $ref?: string;
  allOf?: OpenApiSchema[];
  type?: string;
  format?: string;
  nullable?: boolean;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
}

/** The generated document (`npm run openapi`, checked against the code by the OpenAPI e2e spec). */
const components = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')) as {
    components: { schemas: Record<string, OpenApiSchema> };
  }
).components.schemas;

function resolve(schema: OpenApiSchema): OpenApiSchema {
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]!.$ref : undefined);
  return ref ? { ...components[ref.split('/').pop()!]!, nullable: schema.nullable } : schema;
}

/**
 * What a serializer needs of a schema, from our schema or the document's: each property's type,
 * whether it may be null, and `date-time` (the one format the serializer acts on), recursively;
 * `metadata` (free-form JSON as stored, which the serializer writes whole) only by its type.
 */
function shape(raw: OpenApiSchema, name?: string): unknown {
  const schema = resolve(raw);
  const base = {
    type: schema.type,
    nullable: schema.nullable === true,
    dateTime: schema.format === 'date-time',
  };
  if (schema.type === 'array') return { ...base, items: shape(schema.items!) };
  if (schema.type !== 'object' || !schema.properties || name === 'metadata') return base;
  const properties = Object.entries(schema.properties).map(([key, value]) => [
    key,
    shape(value, key),
  ]);
  return { ...base, properties: Object.fromEntries(properties) };
}

describe('response schemas', () => {
  it.each([
    ['SessionResponse', SESSION_RESPONSE],
    ['ItemPageResponse', ITEM_PAGE_RESPONSE],
  ])('list every property of %s with the type the OpenAPI document gives it', (name, schema) => {
    expect(shape(schema as OpenApiSchema)).toEqual(shape({ $ref: `#/components/schemas/${name}` }));
  });
});
