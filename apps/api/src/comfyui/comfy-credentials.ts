import type { IncomingHttpHeaders } from 'node:http';

/**
 * The credential a ComfyUI client sends, in any of the forms its ecosystem uses:
 * `Authorization: Bearer <JWT or atl_ key>`, `Authorization: Basic` with the API key as the
 * password (or as the user name when the password is empty), or `?token=` (ComfyUI-Login's
 * convention, which stable-canvas's LoginAuthPlugin follows).
 */
export function comfyBearer(headers: IncomingHttpHeaders, token: unknown): string | undefined {
  const authorization = headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
  if (bearer) return bearer;
  const basic = /^Basic\s+(.+)$/i.exec(authorization)?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [user, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return password || user || undefined;
  }
  return typeof token === 'string' && token ? token : undefined;
}
