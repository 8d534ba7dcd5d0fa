import { platformErrors } from '../errors/error-catalog';

/** A page of a list with an opaque keyset cursor (created_at, id) for the next one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad cursor');
    return { at, id };
  } catch {
    throw platformErrors('INVALID_CURSOR', 'The cursor is not one this API returned');
  }
}
