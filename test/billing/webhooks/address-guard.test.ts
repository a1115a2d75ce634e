import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, guardedLookup, isBlockedAddress } from "../../../lib/billing/webhooks/address-guard";

describe("webhook address guard", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.100.100.200",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00:ec2::254",
    "fc00::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::10.0.0.1",
    "::127.0.0.1", // IPv4-compatible, as written and as URLs and resolvers write it
    "::7f00:1",
    "::a9fe:a9fe",
    "::ffff:0:7f00:1", // IPv4-translated
    "::ffff:0:10.1.2.3",
    "64:ff9b:1::a00:5", // local-use NAT64
    "not an address",
  ])("blocks %s", (ip) => expect(isBlockedAddress(ip)).toBe(true));

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (ip) => expect(isBlockedAddress(ip)).toBe(false));

  const pub = async () => ["93.184.216.34"];
  it.each([
    ["ftp://example.com/x", "WEBHOOK_URL_INVALID"],
    ["javascript:alert(1)", "WEBHOOK_URL_INVALID"],
    ["example.com/x", "WEBHOOK_URL_INVALID"],
    ["https://user:pw@example.com/x", "WEBHOOK_URL_INVALID"],
    ["https://example.com/x#frag", "WEBHOOK_URL_INVALID"],
    ["https://exa mple.com/x", "WEBHOOK_URL_INVALID"],
    ["https://example.com/\u0000x", "WEBHOOK_URL_INVALID"],
    [`https://example.com/${"a".repeat(2100)}`, "WEBHOOK_URL_INVALID"],
    ["http://127.0.0.1:3000/hook", "WEBHOOK_URL_BLOCKED"],
    ["http://2130706433/hook", "WEBHOOK_URL_BLOCKED"], // 127.0.0.1 as one number
    ["http://0x7f.1/hook", "WEBHOOK_URL_BLOCKED"],
    ["http://[::1]/hook", "WEBHOOK_URL_BLOCKED"],
    ["http://[::ffff:169.254.169.254]/latest", "WEBHOOK_URL_BLOCKED"],
    ["http://[::127.0.0.1]/hook", "WEBHOOK_URL_BLOCKED"],
    ["http://[::169.254.169.254]/latest", "WEBHOOK_URL_BLOCKED"],
    ["http://[::ffff:0:127.0.0.1]/hook", "WEBHOOK_URL_BLOCKED"],
    ["http://169.254.169.254/latest/meta-data", "WEBHOOK_URL_BLOCKED"],
    ["http://localhost/hook", "WEBHOOK_URL_BLOCKED"],
    ["http://api.localhost./hook", "WEBHOOK_URL_BLOCKED"],
    ["http://metadata.google.internal/computeMetadata", "WEBHOOK_URL_BLOCKED"],
  ])("refuses %s with %s", async (url, code) => {
    const r = await checkWebhookUrl(url, { allowPrivate: false, lookup: pub });
    expect(r.ok ? "ok" : r.code).toBe(code);
  });

  it("holds the URL as stored and sent (encoded) to 2048 characters, not only as typed", async () => {
    const typed = `https://example.com/${"é".repeat(1000)}`; // 1,020 characters typed, 6,020 encoded
    const r = await checkWebhookUrl(typed, { allowPrivate: false, lookup: pub });
    expect(r.ok ? "ok" : r.code).toBe("WEBHOOK_URL_INVALID");
    expect((await checkWebhookUrl(`https://example.com/${"é".repeat(300)}`, { allowPrivate: false, lookup: pub })).ok).toBe(true);
  });

  it("refuses a public-looking name that resolves to any private address, and accepts one that does not", async () => {
    const r = await checkWebhookUrl("https://rebind.example.com/hook", { allowPrivate: false, lookup: async () => ["93.184.216.34", "10.0.0.5"] });
    expect(r.ok ? "ok" : r.code).toBe("WEBHOOK_URL_BLOCKED");
    expect((await checkWebhookUrl("https://your-app.com/billing-events", { allowPrivate: false, lookup: pub })).ok).toBe(true);
    const gone = await checkWebhookUrl("https://nowhere.example/x", { allowPrivate: false, lookup: async () => Promise.reject(new Error("ENOTFOUND")) });
    expect(gone.ok ? "ok" : gone.code).toBe("WEBHOOK_URL_UNRESOLVABLE");
  });

  it("a resolver that never answers makes the name unresolvable after the lookup timeout, not a hung save or delivery", async () => {
    const started = Date.now();
    const hung = await checkWebhookUrl("https://slow.example.com/hook", { allowPrivate: false, lookup: () => new Promise(() => {}), lookupTimeoutMs: 50 });
    expect(hung.ok ? "ok" : hung.code).toBe("WEBHOOK_URL_UNRESOLVABLE");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("the setting allows private addresses (the demo and tests), but never a non-http URL", async () => {
    expect((await checkWebhookUrl("http://127.0.0.1:3000/hook", { allowPrivate: true })).ok).toBe(true);
    expect((await checkWebhookUrl("file:///etc/passwd", { allowPrivate: true })).ok).toBe(false);
  });

  it("guardedLookup refuses at connection time a name that resolves to loopback", async () => {
    const server = http.createServer((_, res) => res.end("reached")).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as AddressInfo).port;
    const get = (allowPrivate: boolean) =>
      new Promise<string>((resolve) => {
        http
          .get({ host: "localhost", port, path: "/", lookup: guardedLookup(allowPrivate), family: 4 }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c)).on("end", () => resolve(body));
          })
          .on("error", (e: Error & { code?: string }) => resolve(`error ${e.code}: ${e.message}`));
      });
    try {
      // The error (kept as the delivery's last_error, which billing:read keys see) does not name the internal address.
      expect(await get(false)).toBe("error WEBHOOK_URL_BLOCKED: localhost resolved to a blocked address (loopback, private, link-local or metadata)");
      expect(await get(true)).toBe("reached");
    } finally {
      server.close();
    }
  });
});
