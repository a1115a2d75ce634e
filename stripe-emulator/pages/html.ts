// Shared pieces for the server-rendered pages: escaping, the page shell, replies.
import type { Params } from "../params.js";
import type { Store } from "../store.js";

export interface PageContext {
  store: Store;
  method: string;
  pathParams: Record<string, string>;
  query: Params;
  form: Params;
}

export interface PageReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export type PageHandler = (ctx: PageContext) => PageReply;

export function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON for inline <script>: escapes "<" so a value can never close the script element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export function param(ctx: PageContext, name: string): string {
  return ctx.pathParams[name] ?? "";
}

export function field(p: Params, name: string): string {
  const v = p[name];
  return typeof v === "string" ? v : "";
}

const BASE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1f36;background:#f6f8fa}
main{max-width:640px;margin:0 auto;padding:24px}
body.embedded{background:#fff}
body.embedded main{padding:16px}
h1{font-size:1.5rem;margin:.25rem 0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.badge{display:inline-block;background:#ffde92;color:#663c00;border-radius:4px;padding:0 6px;font-size:.8rem;font-weight:600}
.muted{color:#5e6687;font-size:.9rem}
.amount{font-size:2rem;font-weight:700;margin:.25rem 0}
.card{background:#fff;border:1px solid #e3e8ee;border-radius:8px;padding:16px;margin:12px 0}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain li{display:flex;justify-content:space-between;gap:12px;padding:6px 0;border-bottom:1px solid #eef1f4}
label{display:block;font-weight:600;margin:10px 0 4px;font-size:.9rem}
input[type=text],input[type=email],input:not([type]),select{width:100%;padding:10px;border:1px solid #c9d1da;border-radius:6px;font:inherit}
input:focus,select:focus,button:focus,a:focus{outline:3px solid #7a73ff;outline-offset:1px}
button{font:inherit;font-weight:600;padding:10px 16px;border-radius:6px;border:1px solid #635bff;background:#635bff;color:#fff;cursor:pointer;margin:12px 8px 0 0}
button.secondary{background:#fff;color:#635bff}
button.danger{background:#fff;color:#c0123c;border-color:#c0123c}
.alert{border-radius:6px;padding:10px 12px;margin:12px 0;background:#fde8ec;color:#8a0a2a;border:1px solid #f5b5c4}
.notice{border-radius:6px;padding:10px 12px;margin:12px 0;background:#e6f6ee;color:#0b5c36;border:1px solid #a8e0c4}
fieldset{border:1px solid #e3e8ee;border-radius:8px;padding:8px 16px;margin:12px 0}
fieldset label{display:flex;align-items:center;gap:8px;font-weight:500;margin:6px 0}
.row{display:flex;gap:12px}.row>div{flex:1}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin-top:32px}
`;

export function page(opts: { title: string; body: string; embedded?: boolean; css?: string; script?: string; lang?: string }): string {
  return `<!doctype html>
<html lang="${esc(opts.lang ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(opts.title)}</title>
<style>${BASE_CSS}${opts.css ?? ""}</style>
</head>
<body class="${opts.embedded ? "embedded" : ""}">
${opts.body}
${opts.script ? `<script>${opts.script}</script>` : ""}
</body>
</html>`;
}

export function htmlReply(body: string, status = 200): PageReply {
  return { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }, body };
}

export function redirect(location: string): PageReply {
  return { status: 303, headers: { Location: location, "Cache-Control": "no-store" }, body: "" };
}

export function notFound(what: string): PageReply {
  return htmlReply(page({ title: "Not found", body: `<main><h1>Not found</h1><p id="not-found">${esc(what)}</p></main>` }), 404);
}

export function fmtDate(ts: number | null | undefined): string {
  if (!ts) return "";
  return new Date(ts * 1000).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** Appends query parameters to a URL that may already have some. */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const u = new URL(base, "http://placeholder");
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") u.searchParams.set(k, v);
  return base.startsWith("http") ? u.toString() : `${u.pathname}${u.search}`;
}

/** A one-page PDF with the given lines of text (enough for an invoice or receipt download). */
export function simplePdf(lines: string[]): Buffer {
  const escapePdf = (s: string): string => s.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1");
  const content = ["BT", "/F1 12 Tf", "14 TL", "56 780 Td", ...lines.map((l, i) => `${i === 0 ? "" : "T* "}(${escapePdf(l)}) Tj`), "ET"].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
