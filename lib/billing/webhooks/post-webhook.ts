import http from "node:http";
import https from "node:https";
import { checkWebhookUrl, guardedLookup } from "./address-guard";

export type PostOutcome = { statusCode: number | null; latencyMs: number; error: string | null };

/**
 * One POST of a signed body to a customer's URL, guarded: the URL is checked again (an IP-literal host never reaches
 * `lookup`), every name is resolved through the connect-time guard, redirects are not followed (a 3xx is a failure:
 * following one would let a public URL bounce the request inside), the whole exchange has a deadline, and at most
 * `maxResponseBytes` of the answer is read. Never throws: the outcome says what happened.
 */
export async function postWebhook({
  url,
  body,
  headers,
  timeoutMs,
  maxResponseBytes,
  allowPrivate,
}: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  allowPrivate: boolean;
}): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const checked = await checkWebhookUrl(url, { allowPrivate });
  if (!checked.ok) return { statusCode: null, latencyMs: elapsed(), error: `${checked.code}: ${checked.message}` };
  const target = checked.url;
  const client = target.protocol === "https:" ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    // Set once the answer's status line is in: a body still coming at the deadline does not undo it.
    let answered: (() => void) | null = null;
    const finish = (o: Omit<PostOutcome, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...o, latencyMs: elapsed() });
    };
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(allowPrivate),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        const done = () => {
          res.destroy();
          if (status >= 200 && status < 300) return finish({ statusCode: status, error: null });
          const why = status >= 300 && status < 400 ? `redirect to ${String(res.headers.location ?? "?").slice(0, 200)} not followed` : "not a 2xx answer";
          finish({ statusCode: status, error: `HTTP ${status}: ${why}` });
        };
        answered = done;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read >= maxResponseBytes) done();
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      if (answered) return answered();
      finish({ statusCode: null, error: `timed out after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => {
      const code = e.code ?? "";
      finish({
        statusCode: null,
        error: code === "WEBHOOK_URL_BLOCKED" ? `WEBHOOK_URL_BLOCKED: ${e.message}` : `${code ? `${code}: ` : ""}${e.message}`.slice(0, 500),
      });
    });
    req.end(body);
  });
}
