// Which webhook URLs roost will call. In server mode: https only, and only addresses on the
// public internet, checked after DNS resolution; the connection then goes to the address that
// was checked (never a second lookup an attacker's DNS could answer differently). ROOST_WEBHOOK_ALLOW
// opens CIDRs, host names or everything (`*`). Emulator mode also allows http and loopback.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export class WebhookUrlError extends Error {}

export interface UrlPolicy {
  /** emulator mode: http and loopback allowed */
  emulator: boolean;
  /** ROOST_WEBHOOK_ALLOW, parsed by config */
  allow: readonly string[];
}

/** A URL with the one address roost will connect to. */
export interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is. */
function normalise(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: 'ipv4' };
  return { address, type: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

function allowList(allow: readonly string[]): { any: boolean; hosts: Set<string>; nets: BlockList } {
  const nets = new BlockList();
  const hosts = new Set<string>();
  for (const a of allow) {
    const [addr, bits] = a.split('/');
    if (bits !== undefined) nets.addSubnet(addr!, Number(bits), isIP(addr!) === 6 ? 'ipv6' : 'ipv4');
    else if (isIP(a) !== 0) nets.addAddress(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
    else hosts.add(a);
  }
  return { any: allow.includes('*'), hosts, nets };
}

/** Parses and checks the URL's form: an absolute http(s) URL without credentials. */
export function parseWebhookUrl(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('the URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlError('the URL must use https');
  if (url.username || url.password) throw new WebhookUrlError('the URL must not carry credentials');
  const allowed = allowList(policy.allow);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ip = normalise(host);
  const opened = allowed.any || allowed.hosts.has(host) || (isIP(host) !== 0 && allowed.nets.check(ip.address, ip.type));
  if (url.protocol === 'http:' && !policy.emulator && !opened) throw new WebhookUrlError('the URL must use https');
  return url;
}

/** Resolves the URL's host and picks an address roost may call, or refuses. */
export async function resolveTarget(raw: string, policy: UrlPolicy): Promise<Target> {
  const url = parseWebhookUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = allowList(policy.allow);
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookUrlError(`the host ${host} could not be resolved`);
    }
  }
  if (addresses.length === 0) throw new WebhookUrlError(`the host ${host} could not be resolved`);
  const hostAllowed = allowed.any || allowed.hosts.has(host.toLowerCase());
  // Every address the name has must pass: a name with one private address is refused whole.
  for (const a of addresses) {
    const n = normalise(a.address);
    if (hostAllowed || allowed.nets.check(n.address, n.type)) continue;
    if (policy.emulator && LOOPBACK.check(n.address, n.type)) continue;
    if (NOT_PUBLIC.check(n.address, n.type)) throw new WebhookUrlError(`the URL resolves to a non-public address (${a.address})`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
