import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { SocketConnectionCap } from './socket-connection-cap';

/** The two events the cap listens to: the socket's disconnect and its transport's close. */
const fakeSocket = () => Object.assign(new EventEmitter(), { conn: new EventEmitter() });

describe('SocketConnectionCap', () => {
  it('admits up to the cap per user and frees a slot once per closed socket', () => {
    const cap = new SocketConnectionCap(2);
    const [a, b, c] = [fakeSocket(), fakeSocket(), fakeSocket()];
    expect(cap.admit('u1', a as unknown as Socket)).toBe(true);
    expect(cap.admit('u1', b as unknown as Socket)).toBe(true);
    expect(cap.admit('u1', c as unknown as Socket)).toBe(false);
    expect(cap.admit('u2', c as unknown as Socket)).toBe(true); // another user is not affected

    // Both events for one socket free one slot, not two.
    a.emit('disconnect');
    a.conn.emit('close');
    expect(cap.countOf('u1')).toBe(1);
    // A socket whose transport closed before it ever connected is freed too.
    b.conn.emit('close');
    expect(cap.countOf('u1')).toBe(0);
  });
});
