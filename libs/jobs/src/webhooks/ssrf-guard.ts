import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { jobErrors } from '../job-errors';

/** Loopback, private, link-local (cloud metadata), unspecified, CGNAT and unique-local ranges. */
const FORBIDDEN = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  FORBIDDEN.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) {
  FORBIDDEN.addSubnet(net, bits, 'ipv6');
}

const refused = (url: string, why: string) =>
  jobErrors('WEBHOOK_URL_FORBIDDEN', `webhookUrl ${url} is not allowed: ${why}`, { field: 'webhookUrl' });

/**
 * Webhook targets must be public addresses, unless the host or address is allowed by
 * configuration (`WEBHOOK_ALLOW_HOSTS`: hosts or CIDRs). Checked at submit and again at
 * delivery time on the resolved addresses (so DNS rebinding cannot sneak past).
 */
export class SsrfGuard {
  private readonly allowedHosts = new Set<string>();
  private readonly allowedNets = new BlockList();

  constructor(allow: string[]) {
    for (const entry of allow) {
      const [address, bits] = entry.split('/');
      const family = isIP(address);
      if (family && bits) this.allowedNets.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.allowedNets.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
      else this.allowedHosts.add(entry.toLowerCase());
    }
  }

  /** Syntax and literal-address check, cheap enough for the submit path. */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw refused(raw, 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(raw, 'only http and https');
    if (url.username || url.password) throw refused(raw, 'credentials in the URL');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.addressAllowed(host)) throw refused(raw, 'private, loopback or link-local address');
    if (!isIP(host) && host.toLowerCase() === 'localhost' && !this.allowedHosts.has('localhost')) throw refused(raw, 'loopback host');
    return url;
  }

  /** Resolves the host and checks every address; returns one to connect to. */
  async resolve(raw: string): Promise<{ url: URL; address: string }> {
    const url = this.checkUrl(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (this.allowedHosts.has(host.toLowerCase())) return { url, address: host };
    const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
    for (const { address } of addresses) {
      if (!this.addressAllowed(address)) throw refused(raw, `${host} resolves to a private address`);
    }
    return { url, address: addresses[0].address };
  }

  private addressAllowed(raw: string): boolean {
    // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
    const address = raw.toLowerCase().startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    return this.allowedNets.check(address, family) || !FORBIDDEN.check(address, family);
  }
}
