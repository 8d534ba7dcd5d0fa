// The client's TypeScript types, generated from the OpenAPI document with openapi-typescript.
// `npm run api:types` writes them; scripts/api-types.spec.ts fails when the committed file is stale.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export const OPENAPI_DOCUMENT = 'docs/openapi.json';
export const API_TYPES_FILE = 'client/src/generated/openapi.ts';

/** The generated module's text for the OpenAPI document under `root`. */
export async function generateApiTypes(root = process.cwd()) {
  const document = JSON.parse(readFileSync(resolve(root, OPENAPI_DOCUMENT), 'utf8'));
  const ast = await openapiTS(withTypedPresenceRules(document), {
    // Request bodies may leave out what has a default (the API fills it in).
    defaultNonNullable: false,
    // `type: object` without properties (analysis results) is open data, not an empty object.
    emptyObjectsUnknown: true,
    silent: true,
  });
  return COMMENT_HEADER + astToString(ast);
}

/**
 * The document's oneOf/anyOf lists of bare `{required: [...]}` ("a prompt, or a template and a
 * subject"; "a width or a height") say which properties must be present together. openapi-typescript
 * turns such a bare entry into `unknown`, which makes an anyOf schema `unknown` as a whole; giving
 * each entry the properties it names (and an anyOf the intersection that allOf makes) keeps the rule
 * in the types: `Base & ({prompt: string} | {templateId: string; subject: string})`.
 */
export function withTypedPresenceRules(document) {
  const copy = structuredClone(document);
  for (const schema of Object.values(copy.components?.schemas ?? {})) {
    for (const key of ['oneOf', 'anyOf']) {
      const entries = schema[key];
      if (!schema.properties || !Array.isArray(entries) || !entries.every(isPresenceRule)) continue;
      const typed = entries.map(({ required }) => ({
        type: 'object',
        properties: Object.fromEntries(required.map((name) => [name, schema.properties[name]])),
        required,
      }));
      if (key === 'oneOf') schema.oneOf = typed;
      else {
        delete schema.anyOf;
        schema.allOf = [...(schema.allOf ?? []), { anyOf: typed }];
      }
    }
  }
  return copy;
}

const isPresenceRule = (entry) =>
  typeof entry === 'object' && entry !== null && Object.keys(entry).length === 1 && Array.isArray(entry.required);
