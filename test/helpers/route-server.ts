// One app instance in a process of its own, for tests of what several instances share (a key revoked on one is
// refused by the others): the real route handlers, served by node:http on a free port. Prints "listening <port>".
// Run with: tsx --conditions=react-server test/helpers/route-server.ts (DATABASE_URL names the database).
import http from "node:http";
import { GET as currentKey } from "../../app/api/v1/keys/current/route";
import { POST as usage } from "../../app/api/v1/usage/route";

const routes: Record<string, (req: Request) => Promise<Response>> = {
  "GET /api/v1/keys/current": currentKey,
  "POST /api/v1/usage": usage,
};

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const handler = routes[`${req.method} ${(req.url ?? "").split("?")[0]}`];
    if (!handler) return void res.writeHead(404).end();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    void handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }))
      .then(async (r) => {
        res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
        res.end(Buffer.from(await r.arrayBuffer()));
      })
      .catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
