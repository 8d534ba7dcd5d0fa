/** Hostile and boundary values for fuzzing request bodies, params and queries. */
export const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  -2147483649,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  3.5,
  '',
  ' ',
  'x',
  'x'.repeat(100_000),
  '𝕏🙂\u202e\u0000\uffff',
  "' OR 1=1 --",
  '{"$gt": ""}',
  '../../../../etc/passwd',
  [],
  [1, 2, 3],
  {},
  { nested: { deep: [null] } },
];

export const HOSTILE_PATH_SEGMENTS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'x'.repeat(3000),
  '%F0%9D%95%8F',
  "1'%20OR%20'1'='1",
];

export const HOSTILE_QUERY_VALUES = ['-1', '0', '99999999999999999999', 'abc', '', '%00', '[]', '{}', 'x'.repeat(5000), '1.5'];

/** Bodies that are not what the route expects at all, sent raw with a content type. */
export const MALFORMED_BODIES: Array<{ contentType: string; body: string }> = [
  { contentType: 'application/json', body: '{"a":' },
  { contentType: 'application/json', body: 'null' },
  { contentType: 'application/json', body: '[]' },
  { contentType: 'application/json', body: '"just a string"' },
  { contentType: 'application/json', body: '{"__proto__": {"admin": true}}' },
  { contentType: 'text/plain', body: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=2' },
  { contentType: 'multipart/form-data; boundary=x', body: '--x\r\nbroken' },
  { contentType: 'application/json', body: JSON.stringify({ big: 'y'.repeat(2 * 1024 * 1024) }) },
];

/** Each field of a valid body replaced in turn by each hostile value, plus each field missing and an unknown field. */
export function mutateBody(valid: Record<string, unknown>): Array<Record<string, unknown>> {
  const variants: Array<Record<string, unknown>> = [{ ...valid, unexpectedField: 'x', role: 'admin', credits: 1e9 }];
  for (const key of Object.keys(valid)) {
    const { [key]: _removed, ...rest } = valid;
    variants.push(rest);
    for (const value of HOSTILE_VALUES) variants.push({ ...valid, [key]: value });
  }
  return variants;
}
