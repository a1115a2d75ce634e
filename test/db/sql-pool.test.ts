import { describe, expect, it, vi } from "vitest";

// Next bundles lib/db/client more than once (instrumentation and each route get their own copy), and the process's
// client is made by whichever copy runs first. The debit batch takes the client's own pool (sqlPool) to skip Prisma;
// a copy that could not find the pool fell back to Prisma on every batch.
describe("sqlPool across copies of lib/db/client", () => {
  it("finds the pool of a client made by another copy of the module", async () => {
    const first = await import("../../lib/db/client");
    vi.resetModules();
    const second = await import("../../lib/db/client");
    expect(second).not.toBe(first);
    const db = first.createDb("postgresql://nobody@127.0.0.1:1/nothing"); // no connection is made until a query
    try {
      expect(second.sqlPool(db)).not.toBeNull();
      expect(second.sqlPool(db)).toBe(first.sqlPool(db));
    } finally {
      await db.$disconnect();
    }
  });
});
