import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Received = { path: string; webhookId: string; body: { id: string; type: string; created_at: string; data: Record<string, unknown> } };

/**
 * A webhook receiver for tests, verifying every request with `standardwebhooks` as a customer would. Paths:
 * /ok answers 204; /flaky/<n> answers 500 to the first n attempts of each event id, then 200; /down always 500;
 * /redirect 302 to /ok; /slow never answers. `accepted` holds the events it acknowledged, `attempts` every verified try.
 */
export async function startReceiver(secret: string) {
  const wh = new Webhook(secret, { format: "raw" });
  const attempts: Received[] = [];
  const accepted: Received[] = [];
  const rejected: string[] = [];
  const tries = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Received["body"];
      try {
        body = wh.verify(raw, req.headers as Record<string, string>) as Received["body"];
      } catch (e) {
        rejected.push((e as Error).message);
        res.writeHead(400).end();
        return;
      }
      const path = req.url ?? "/";
      const r: Received = { path, webhookId: String(req.headers["webhook-id"]), body };
      attempts.push(r);
      const n = (tries.get(`${path}:${r.webhookId}`) ?? 0) + 1;
      tries.set(`${path}:${r.webhookId}`, n);
      const flaky = /^\/flaky\/(\d+)$/.exec(path);
      if (path === "/slow") return; // never answers
      if (path === "/redirect") return void res.writeHead(302, { location: "/ok" }).end();
      if (path === "/down" || (flaky && n <= Number(flaky[1]))) return void res.writeHead(500).end("nope");
      accepted.push(r);
      res.writeHead(path === "/ok" ? 204 : 200).end("thanks");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    attempts,
    accepted,
    rejected,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
