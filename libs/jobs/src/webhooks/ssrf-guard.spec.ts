import { describe, expect, it } from 'vitest';
import { SsrfGuard } from './ssrf-guard';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('SsrfGuard', () => {
  const strict = new SsrfGuard([]);

  it.each([
    'http://127.0.0.1/hook', 'http://10.1.2.3/', 'http://172.20.0.1/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data',
    'http://[::1]/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://0.0.0.0/', 'http://localhost:8080/', 'ftp://example.com/', 'http://user:pw@example.com/',
  ])('refuses %s', (url) => {
    expect(() => strict.checkUrl(url)).toThrow(expect.objectContaining({ code: 'WEBHOOK_URL_FORBIDDEN' }));
  });

  it('accepts public addresses', () => {
    expect(strict.checkUrl('https://93.184.216.34/hook').hostname).toBe('93.184.216.34');
  });

  it('refuses loopback at delivery time too, including IPv4-mapped IPv6', async () => {
    await expect(strict.resolve('http://localhost/')).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
    await expect(strict.resolve('http://[::ffff:127.0.0.1]/')).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
  });

  it('lets configured hosts and CIDRs through', async () => {
    const allowing = new SsrfGuard(['127.0.0.1', '10.0.0.0/8', 'localhost']);
    expect((await allowing.resolve('http://127.0.0.1:9000/x')).address).toBe('127.0.0.1');
    expect(() => allowing.checkUrl('http://10.9.8.7/')).not.toThrow();
    expect(() => allowing.checkUrl('http://localhost/')).not.toThrow();
    expect(() => allowing.checkUrl('http://192.168.0.1/')).toThrow();
  });
});

describe('Standard Webhooks signature', () => {
  it('verifies its own signature and refuses a changed body or secret', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const signature = signWebhook(secret, 'msg_1', 1_700_000_000, '{"a":1}');
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWebhook(secret, 'msg_1', 1_700_000_000, '{"a":1}', `v1,bogus ${signature}`)).toBe(true);
    expect(verifyWebhook(secret, 'msg_1', 1_700_000_000, '{"a":2}', signature)).toBe(false);
    expect(verifyWebhook('whsec_AAAA', 'msg_1', 1_700_000_000, '{"a":1}', signature)).toBe(false);
  });
});
