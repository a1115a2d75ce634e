import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AuditLogView } from "../../components/audit/audit-log-view";
import { describeAudit, fallbackWords } from "../../components/audit/describe-audit";
import { AUDIT_ACTIONS } from "../../lib/billing/audit/audit-actions";
import { MOVED } from "../../lib/billing/payments/reconcile-payment-credits";

// Every action an audit writer records reads as a sentence of its own: never the action's code, never the fallback
// that spells the code out. The writers are found in the source, so a new action without words fails here.

const ROOT = join(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" || e.name === "node_modules" ? [] : sourceFiles(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** The actions the writers in lib/ and app/ record: literal names, credit-line events (credit_line.<verb>), statement moves. */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sourceFiles("lib"), ...sourceFiles("app")]) {
    if (file.includes("audit-actions") || file.includes("describe-audit")) continue;
    const text = readFileSync(join(ROOT, file), "utf8");
    if (!text.includes("auditLog") && !file.startsWith("lib/billing/credit-lines/")) continue;
    for (const line of text.split("\n")) {
      if (/\baction\b/.test(line)) for (const m of line.matchAll(/"([a-z_]+\.[a-z_]+)"/g)) found.add(m[1]!);
      if (file.startsWith("lib/billing/credit-lines/")) {
        if (/\baction: "[a-z_]+"/.test(line)) for (const m of line.matchAll(/action: "([a-z_]+)"/g)) found.add(`credit_line.${m[1]}`);
        if (line.includes("recordLineEvent(tx")) for (const m of line.matchAll(/"([a-z_]+)"/g)) found.add(`credit_line.${m[1]}`);
      }
    }
  }
  for (const moved of Object.values(MOVED)) found.add(`statement.${moved}`).add(`invoice.${moved}`);
  return found;
}

const RAW = /\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\b/;

describe("audit actions in words", () => {
  it("every action a writer records is a known action", () => {
    const written = writtenActions();
    expect(written.size).toBeGreaterThan(60);
    expect([...written].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a)).sort()).toEqual([]);
  });

  it.each(AUDIT_ACTIONS.map((a) => [a]))("%s has a sentence of its own, with or without the row's data", (action) => {
    for (const data of [{}, null, { email: "a@example.com", code: "SPRING", amount: "-5000", reason: "Because", amountCents: "500", currency: "usd" }]) {
      const { what } = describeAudit(action, data);
      expect(what).not.toBe("");
      expect(what.startsWith(fallbackWords(action)), what).toBe(false);
      expect(what).not.toContain(action);
      expect(what.replace("a@example.com", ""), what).not.toMatch(RAW);
    }
  });

  it("the log shows the sentence, not the action's code (kept as a data attribute for tests)", () => {
    const row = {
      id: "al_1",
      action: "statement.refund",
      createdAt: new Date("2026-12-01T10:00:00Z"),
      targetType: "statement",
      targetId: "st_1",
      actor: { kind: "stripe" as const },
      data: { amountCents: "2500", currency: "usd", creditsDelta: "-100" },
    };
    const html = renderToStaticMarkup(
      createElement(AuditLogView, { rows: [row], nextCursor: null, query: {}, problems: [], basePath: "/t/x/settings/audit", actors: [] }),
    );
    expect(html).toContain("Refund on the $25.00 statement payment");
    expect(html).toContain('data-action="statement.refund"');
    expect(html.replace('data-action="statement.refund"', "")).not.toContain("statement.refund");
  });
});
