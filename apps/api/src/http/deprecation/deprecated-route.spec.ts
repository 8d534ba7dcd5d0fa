import { describe, expect, it } from 'vitest';
import { deprecationHeaders } from './deprecated-route';

describe('deprecationHeaders', () => {
  it('writes RFC 9745 Deprecation (@unix seconds), RFC 8594 Sunset (HTTP date) and the successor Link', () => {
    expect(deprecationHeaders({ since: '2026-12-01', sunset: '2027-06-30', successor: '/v1/me' })).toEqual({
      Deprecation: `@${Date.UTC(2026, 11, 1) / 1000}`,
      Sunset: 'Wed, 30 Jun 2027 00:00:00 GMT',
      Link: '</v1/me>; rel="successor-version", </docs>; rel="deprecation"; type="text/html"',
    });
  });
});
