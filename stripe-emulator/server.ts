// HTTP front: routes /v1 (Stripe API: auth, idempotency, Stripe errors), /_emulator (control, JSON) and the browser pages.
import type { IncomingMessage, ServerResponse } from "node:http";
import qs from "qs";
import type { ApiHandler } from "./api.js";
import { registerControl, tick, type ControlHandler } from "./control.js";
import { ControlError, StripeApiError, unauthorized } from "./errors.js";
import { expandParam, isParams, type Params } from "./params.js";
import { registerCheckoutPages } from "./pages/checkout-page.js";
import { esc, htmlReply, page, type PageHandler, type PageReply } from "./pages/html.js";
import { registerIndexPage } from "./pages/index-page.js";
import { registerPortalPages } from "./pages/portal-page.js";
import { registerStripeJs } from "./pages/stripe-js.js";
import { registerCatalog } from "./resources/catalog.js";
import { registerCheckout } from "./resources/checkout.js";
import { registerCustomers } from "./resources/customers.js";
import { registerInvoiceItems } from "./resources/invoice-items.js";
import { registerInvoices } from "./resources/invoices.js";
import { registerPaymentMethods } from "./resources/payment-methods.js";
import { registerPayments } from "./resources/payments.js";
import { registerPortal } from "./resources/portal.js";
import { registerPortalConfigurations } from "./resources/portal-configurations.js";
import { registerRefunds } from "./resources/refunds.js";
import { registerSubscriptions } from "./resources/subscriptions.js";
import { Router } from "./router.js";
import { API_VERSION, randomId, type EventRecord, type RequestInfo, type Store } from "./store.js";
import type { WebhookDispatcher } from "./webhooks.js";

const MAX_BODY = 1024 * 1024;
const QS_OPTIONS = { depth: 12, arrayLimit: 1000, parameterLimit: 10000, allowPrototypes: false } as const;

export interface ServerParts {
  store: Store;
  dispatcher: WebhookDispatcher;
  defaultWebhookSecret: string;
  log: (message: string) => void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ControlError(413, "Request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseForm(text: string): Params {
  const parsed: unknown = qs.parse(text, QS_OPTIONS);
  return isParams(parsed) ? parsed : {};
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { "Content-Length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, { "Content-Type": "application/json; charset=utf-8", ...headers }, JSON.stringify(value, null, 2));
}

/** Accepts `Authorization: Bearer sk_test_...` or HTTP Basic with the key as user name (curl -u sk_test_...:). */
function apiKeyOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme, value = ""] = header.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return value.trim();
  if (scheme?.toLowerCase() === "basic") return Buffer.from(value, "base64").toString("utf8").split(":")[0] ?? "";
  return "";
}

function redact(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(Math.max(4, key.length - 12))}${key.slice(-4)}` : `${key.slice(0, 3)}***`;
}

export function createRequestHandler(parts: ServerParts): (req: IncomingMessage, res: ServerResponse) => void {
  const { store, dispatcher, log } = parts;
  const api = new Router<ApiHandler>();
  registerCustomers(api);
  registerPaymentMethods(api);
  registerPayments(api);
  registerRefunds(api);
  registerCatalog(api);
  registerCheckout(api);
  registerSubscriptions(api);
  registerInvoices(api);
  registerInvoiceItems(api);
  registerPortal(api);
  registerPortalConfigurations(api);
  const pages = new Router<PageHandler>();
  registerCheckoutPages(pages);
  registerPortalPages(pages);
  registerStripeJs(pages);
  registerIndexPage(pages);
  const control = new Router<ControlHandler>();
  registerControl(control);

  /** Runs `fn` with events collected into one batch; they go out once `after` (the response write) is done. */
  function batched<T>(info: RequestInfo, fn: () => T): { value: T; events: EventRecord[] } {
    store.beginBatch({ id: null, idempotency_key: null });
    let automatic: EventRecord[] = [];
    try {
      tick(store);
    } finally {
      automatic = store.endBatch();
    }
    store.beginBatch(info);
    try {
      return { value: fn(), events: [...automatic, ...store.endBatch()] };
    } catch (err) {
      const events = [...automatic, ...store.endBatch()];
      throw Object.assign(err instanceof Error ? err : new Error(String(err)), { events });
    }
  }

  function dispatch(events: EventRecord[] | undefined): void {
    if (events && events.length > 0) dispatcher.enqueue(events);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string): Promise<void> {
    const requestId = `req_${randomId(14)}`;
    const baseHeaders = { "Request-Id": requestId, "Stripe-Version": API_VERSION };
    const idempotencyHeader = req.headers["idempotency-key"];
    const idempotencyKey = method === "POST" && typeof idempotencyHeader === "string" && idempotencyHeader !== "" ? idempotencyHeader : null;
    const finish = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      sendJson(res, status, body, { ...baseHeaders, ...extra });
      store.requests.push({ at: new Date().toISOString(), method, path, status, idempotencyKey, requestId });
      if (store.requests.length > 1000) store.requests.splice(0, store.requests.length - 1000);
    };
    const fail = (err: StripeApiError): void => finish(err.status, { error: err.body });

    const key = apiKeyOf(req);
    if (key === null || key === "") {
      fail(
        unauthorized(
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        ),
      );
      return;
    }
    if (!/^(sk|rk)_test_\S+$/.test(key)) {
      fail(unauthorized(`Invalid API Key provided: ${redact(key)}`));
      return;
    }
    const body = method === "POST" ? await readBody(req) : "";
    const match = api.match(method, path);
    if (!match) {
      fail(
        new StripeApiError(404, {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        }),
      );
      return;
    }
    const fingerprint = `${method} ${path} ${body}`;
    const idemScope = idempotencyKey ? `${key}:${idempotencyKey}` : null;
    if (idemScope) {
      const saved = store.idempotency.get(idemScope);
      if (saved) {
        if (saved.fingerprint !== fingerprint) {
          fail(
            new StripeApiError(400, {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            }),
          );
          return;
        }
        send(
          res,
          saved.status,
          { "Content-Type": "application/json; charset=utf-8", ...baseHeaders, "Idempotent-Replayed": "true", "Original-Request": "true" },
          saved.body,
        );
        store.requests.push({ at: new Date().toISOString(), method, path, status: saved.status, idempotencyKey, requestId });
        return;
      }
    }
    const params = method === "POST" ? { ...parseForm(query), ...parseForm(body) } : parseForm(query);
    let status = 200;
    let payload: unknown;
    let events: EventRecord[] | undefined;
    try {
      const out = batched({ id: requestId, idempotency_key: idempotencyKey }, () =>
        match.handler({ store, params, pathParams: match.pathParams, expand: expandParam(params) }),
      );
      payload = out.value;
      events = out.events;
    } catch (err) {
      events = (err as { events?: EventRecord[] }).events;
      if (err instanceof StripeApiError) {
        status = err.status;
        payload = { error: err.body };
      } else {
        log(`emulator error on ${method} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        status = 500;
        payload = { error: { type: "api_error", message: `The Stripe emulator hit an internal error: ${err instanceof Error ? err.message : String(err)}` } };
      }
    }
    // Stripe saves results of requests that ran (successes, card errors, missing objects), not rejected or failed ones.
    if (idemScope && (status === 200 || status === 402 || status === 404)) {
      store.idempotency.set(idemScope, { fingerprint, status, body: JSON.stringify(payload, null, 2) });
    }
    finish(status, payload);
    dispatch(events);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string): Promise<void> {
    const cors = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" };
    if (method === "OPTIONS") {
      send(res, 204, { ...cors, "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type" }, "");
      return;
    }
    const match = control.match(method, path);
    if (!match) {
      sendJson(res, 404, { error: { type: "not_found", message: `No control endpoint ${method} ${path}` } }, cors);
      return;
    }
    const text = method === "POST" ? await readBody(req) : "";
    let body: Params = {};
    if (text.trim()) {
      try {
        const parsed: unknown = (req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded") ? parseForm(text) : JSON.parse(text);
        body = isParams(parsed) ? parsed : {};
      } catch {
        sendJson(res, 400, { error: { type: "invalid_request", message: "Body must be JSON" } }, cors);
        return;
      }
    }
    let events: EventRecord[] | undefined;
    try {
      const out = batched({ id: null, idempotency_key: null }, () =>
        match.handler({ store, dispatcher, body, query: parseForm(query), pathParams: match.pathParams, defaultWebhookSecret: parts.defaultWebhookSecret }),
      );
      events = out.events;
      // Events go out before awaiting, so handlers that wait on delivery (flush, wait) see them.
      dispatch(events);
      events = undefined;
      sendJson(res, 200, await out.value, cors);
    } catch (err) {
      dispatch(events ?? (err as { events?: EventRecord[] }).events);
      if (err instanceof ControlError) {
        sendJson(res, err.status, { error: { type: "invalid_request", message: err.message } }, cors);
      } else if (err instanceof StripeApiError) {
        sendJson(res, err.status, { error: err.body }, cors);
      } else {
        log(`emulator control error on ${method} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        sendJson(res, 500, { error: { type: "api_error", message: err instanceof Error ? err.message : String(err) } }, cors);
      }
    }
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string): Promise<void> {
    const match = pages.match(method === "HEAD" ? "GET" : method, path);
    if (!match) {
      const reply = htmlReply(page({ title: "Not found", body: `<main><h1>Not found</h1><p id="not-found">${esc(path)}</p></main>` }), 404);
      send(res, reply.status, reply.headers ?? {}, reply.body);
      return;
    }
    const form = method === "POST" ? parseForm(await readBody(req)) : {};
    let reply: PageReply;
    let events: EventRecord[] | undefined;
    try {
      const out = batched({ id: null, idempotency_key: null }, () =>
        match.handler({ store, method, pathParams: match.pathParams, query: parseForm(query), form }),
      );
      reply = out.value;
      events = out.events;
    } catch (err) {
      events = (err as { events?: EventRecord[] }).events;
      const message = err instanceof StripeApiError || err instanceof ControlError ? err.message : "The emulator hit an internal error.";
      if (!(err instanceof StripeApiError || err instanceof ControlError))
        log(`emulator page error on ${method} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      reply = htmlReply(
        page({ title: "Error", body: `<main><h1>Something went wrong</h1><p id="page-error" role="alert">${esc(message)}</p></main>` }),
        err instanceof StripeApiError ? err.status : 500,
      );
    }
    send(res, reply.status, reply.headers ?? {}, method === "HEAD" ? "" : reply.body);
    dispatch(events);
  }

  return (req, res) => {
    const method = (req.method ?? "GET").toUpperCase();
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = (q >= 0 ? raw.slice(0, q) : raw).replace(/\/+$/, "") || "/";
    const query = q >= 0 ? raw.slice(q + 1) : "";
    const run = path.startsWith("/v1/") ? handleApi : path.startsWith("/_emulator/") ? handleControl : handlePage;
    run(req, res, method, path, query).catch((err: unknown) => {
      log(`emulator failure on ${method} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent)
        sendJson(res, err instanceof ControlError ? err.status : 500, {
          error: { type: "api_error", message: err instanceof Error ? err.message : String(err) },
        });
      else res.end();
    });
  };
}
