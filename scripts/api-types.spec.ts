import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes, withTypedPresenceRules } from './lib/api-types.mjs';

describe('the generated API types', () => {
  it('are up to date with docs/openapi.json (else run `npm run api:types`)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    const fresh = await generateApiTypes();
    // A yes/no with what to do: a diff of the texts would be thousands of lines.
    expect(committed === fresh, `${API_TYPES_FILE} is stale: run \`npm run api:types\` and commit it`).toBe(true);
  });

  it('keep "one of these properties" rules as typed alternatives instead of unknown', async () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          Sized: {
            type: 'object',
            properties: { width: { type: 'integer' }, height: { type: 'integer' }, fit: { type: 'string' } },
            anyOf: [{ required: ['width'] }, { required: ['height'] }],
          },
        },
      },
    };
    const rewritten = withTypedPresenceRules(document);
    expect(rewritten.components.schemas.Sized).toMatchObject({
      allOf: [{ anyOf: [{ type: 'object', properties: { width: { type: 'integer' } }, required: ['width'] }, { type: 'object', properties: { height: { type: 'integer' } }, required: ['height'] }] }],
    });
    expect(rewritten.components.schemas.Sized).not.toHaveProperty('anyOf');
    expect(document.components.schemas.Sized).toHaveProperty('anyOf'); // the input is left alone

    const types = readFileSync(API_TYPES_FILE, 'utf8');
    const resize = types.slice(types.indexOf('ResizeInput: {'), types.indexOf('CropJob: {'));
    expect(resize).toMatch(/\} & \(\{\s+width: number;\s+\} \| \{\s+height: number;\s+\}\);/);
    expect(resize).not.toContain('unknown');
  });
});
