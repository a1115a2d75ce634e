import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQueue, type JobDefinition, type Queue } from "../../lib/jobs/queue";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

describe("the job queue (pg-boss on the app's PostgreSQL)", () => {
  let t: TestDatabase;
  let q: Queue;
  const seen: string[] = [];
  let failuresLeft = 1;
  const jobs: JobDefinition<never>[] = [
    { name: "test-echo", pollingIntervalSeconds: 0.5, run: async (data: { word: string }) => void seen.push(data.word) },
    {
      name: "test-flaky",
      pollingIntervalSeconds: 0.5,
      options: { retryLimit: 2, retryDelay: 1 },
      run: async (data: { word: string }) => {
        if (failuresLeft-- > 0) throw new Error("first attempt fails");
        seen.push(data.word);
      },
    },
  ] as JobDefinition<never>[];

  beforeAll(async () => {
    t = await createTestDatabase();
    q = await startQueue({ connectionString: t.url, jobs, onError: () => {} });
  });
  afterAll(async () => {
    await q.stop();
    await t.close();
  });

  const until = async (f: () => boolean, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!f()) {
      if (Date.now() > end) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it("runs a job sent in a transaction that commits, and never one whose transaction rolled back", async () => {
    await t.db.$transaction(async (tx) => {
      await q.send("test-echo", { word: "committed" }, {}, tx);
    });
    await t.db
      .$transaction(async (tx) => {
        await q.send("test-echo", { word: "rolled back" }, {}, tx);
        throw new Error("roll back");
      })
      .catch(() => {});
    await until(() => seen.includes("committed"));
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).not.toContain("rolled back");
  });

  it("gives a queue that already exists the options of the code that starts it (a release changed them)", async () => {
    const options = async (job: JobDefinition<never>) => {
      const other = await startQueue({ connectionString: t.url, jobs: [job], work: false, schedule: false, onError: () => {} });
      try {
        return await other.boss.getQueue(job.name);
      } finally {
        await other.stop();
      }
    };
    const run = async () => {};
    const before = await options({ name: "test-options", run, options: { retryLimit: 1, retryDelay: 5, expireInSeconds: 60 } });
    expect(before).toMatchObject({ policy: "standard", retryLimit: 1, retryDelay: 5, expireInSeconds: 60 });
    const after = await options({ name: "test-options", run, options: { policy: "short", retryLimit: 4, retryBackoff: true, expireInSeconds: 120 } });
    expect(after).toMatchObject({ policy: "short", retryLimit: 4, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
  });

  it("retries a job whose attempt threw", async () => {
    await q.send("test-flaky", { word: "second try" });
    await until(() => seen.includes("second try"));
    expect(failuresLeft).toBe(-1);
  });
});
