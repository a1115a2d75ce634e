import dns from "node:dns";
import net from "node:net";

// Webhook URLs are chosen by customers, and Creditdesk POSTs to them from inside the platform's network: a URL that
// reaches loopback, a private range, link-local (cloud metadata at 169.254.169.254) or other special addresses would
// let a customer probe that network. The check runs when an endpoint is saved (a clear error) and again on every
// connection (`guardedLookup`), so a name that later resolves inside (DNS rebinding) is refused too.
// WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=1 lifts it for the demo and tests, whose receivers listen on localhost.

const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT (and Alibaba's metadata at 100.100.100.200)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(addr, prefix, "ipv4");
}
for (const [addr, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64: checked as the IPv4 it embeds too
  ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215): a translator inside the network
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local (includes AWS's fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(addr, prefix, "ipv6");
}

const BLOCKED_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/**
 * The IPv4 address an IPv6 address carries (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d,
 * IPv4-compatible ::a.b.c.d, NAT64), if any, in either notation: URLs and resolvers write ::127.0.0.1 as ::7f00:1.
 */
function embeddedIpv4(ip: string): string | null {
  const lower = ip.toLowerCase();
  const dotted = /^(?:::ffff:|::ffff:0:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|::ffff:0:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/** True for any address a webhook must not reach (loopback, private, link-local, metadata, reserved …). */
export function isBlockedAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    if (v4 && net.isIPv4(v4)) return blocked.check(v4, "ipv4");
    return blocked.check(ip, "ipv6");
  }
  return true; // not an address at all
}

export function allowPrivateWebhookAddresses(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES === "1" || env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES === "true";
}

export type WebhookUrlCheck =
  { ok: true; url: URL } | { ok: false; code: "WEBHOOK_URL_INVALID" | "WEBHOOK_URL_BLOCKED" | "WEBHOOK_URL_UNRESOLVABLE"; message: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

type Lookup = (host: string) => Promise<string[]>;
/** How long a name may take to resolve when an endpoint is saved or before a delivery connects. */
const LOOKUP_TIMEOUT_MS = 5_000;

const systemLookup: Lookup = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Whether `raw` may be a webhook endpoint: an absolute http(s) URL without credentials or fragment, whose host is not
 * a blocked name and resolves only to allowed addresses (every address it resolves to is checked).
 */
export async function checkWebhookUrl(
  raw: string,
  {
    allowPrivate = allowPrivateWebhookAddresses(),
    lookup = systemLookup,
    lookupTimeoutMs = LOOKUP_TIMEOUT_MS,
  }: { allowPrivate?: boolean; lookup?: Lookup; lookupTimeoutMs?: number } = {},
): Promise<WebhookUrlCheck> {
  const invalid = (message: string): WebhookUrlCheck => ({ ok: false, code: "WEBHOOK_URL_INVALID", message });
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return invalid(`The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  if (/[\u0000-\u0020\u007f]/.test(raw)) return invalid("The URL contains spaces or control characters.");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid("Enter an absolute URL such as https://example.com/billing-events.");
  }
  // What is stored and sent is the encoded URL (é is %C3%A9): it is held to the limit too.
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) return invalid(`The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters once encoded.`);
  if (url.protocol !== "https:" && url.protocol !== "http:") return invalid("The URL must start with https:// or http://.");
  if (url.username || url.password) return invalid("The URL must not contain a user name or password.");
  if (url.hash) return invalid("The URL must not contain a #fragment.");
  if (!url.hostname) return invalid("The URL has no host.");
  if (allowPrivate) return { ok: true, url };
  const blockedMsg: WebhookUrlCheck = {
    ok: false,
    code: "WEBHOOK_URL_BLOCKED",
    message: "The URL points inside a private network (loopback, private, link-local or metadata address); use a public address.",
  };
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (net.isIP(host)) return isBlockedAddress(host) ? blockedMsg : { ok: true, url };
  if (BLOCKED_NAMES.test(host.replace(/\.$/, ""))) return blockedMsg;
  let addresses: string[];
  let timer: NodeJS.Timeout | undefined;
  try {
    // A resolver that never answers must not hold a save or a delivery past its deadline: unresolvable after a while.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("lookup timed out")), lookupTimeoutMs);
    });
    addresses = await Promise.race([lookup(host), late]);
  } catch {
    return { ok: false, code: "WEBHOOK_URL_UNRESOLVABLE", message: `The host ${host} could not be resolved.` };
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return { ok: false, code: "WEBHOOK_URL_UNRESOLVABLE", message: `The host ${host} could not be resolved.` };
  return addresses.some(isBlockedAddress) ? blockedMsg : { ok: true, url };
}

/**
 * A `lookup` for http(s).request that refuses blocked addresses at connection time (so a name cannot resolve to a
 * public address when saved and to 127.0.0.1 when delivered). With `allowPrivate` it is the system lookup.
 */
export function guardedLookup(allowPrivate = allowPrivateWebhookAddresses()): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as unknown as dns.LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isBlockedAddress(a.address));
      if (bad) {
        const e = Object.assign(new Error(`${hostname} resolved to a blocked address (loopback, private, link-local or metadata)`), {
          code: "WEBHOOK_URL_BLOCKED",
        });
        return callback(e, "", 0);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}
