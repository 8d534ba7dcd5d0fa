// `npm run api:types`: writes client/src/generated/openapi.ts from docs/openapi.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { API_TYPES_FILE, OPENAPI_DOCUMENT, generateApiTypes } from './lib/api-types.mjs';

const text = await generateApiTypes();
mkdirSync(dirname(API_TYPES_FILE), { recursive: true });
writeFileSync(API_TYPES_FILE, text);
console.log(`${OPENAPI_DOCUMENT} → ${API_TYPES_FILE}`);
