import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// `npm test` brings its own browser (scripts/ensure-browser.mjs). These run its set-up path as on a machine with no
// browser at all: the candidate list points at an empty folder and the installers are stubs, so the machine's own
// Chromium is neither used nor uninstalled.
let dir: string;
let empty: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "creditdesk-browser-"));
  empty = path.join(dir, "bin");
  mkdirSync(empty);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const failing = (name: string) => `sh -c 'echo "${name}: network unreachable" >&2; exit 1'`;
/** A stand-in installer that "installs" an executable Chromium at `target`, and records that it ran. */
const installBody = (target: string, marker: string) =>
  `printf "#!/bin/sh\\necho fake chromium\\n" > "${target}" && chmod 755 "${target}" && touch "${marker}"`;
const installing = (target: string, marker: string) => `sh -c '${installBody(target, marker)}'`;

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "test",
    CREDITDESK_BROWSER_CANDIDATES: `${empty}/chromium:${empty}/chromium-browser`,
    CREDITDESK_PLAYWRIGHT_INSTALL: failing("playwright"),
    CREDITDESK_APT_INSTALL: failing("apt-get install"),
    CREDITDESK_APT_UPDATE: failing("apt-get update"),
    ...extra,
  };
}

function ensureBrowser(extra: Record<string, string>) {
  const r = spawnSync(process.execPath, ["scripts/ensure-browser.mjs"], { env: env(extra), encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

/** Runs the README's test command; stops it (and all it started) once it gets past the browser step. */
function npmTest(extra: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["scripts/test.sh"], { env: env(extra), detached: true });
    let out = "";
    const stopIfPastBrowser = () => {
      if (/== typecheck/.test(out)) process.kill(-child.pid!, "SIGKILL");
    };
    child.stdout.on("data", (b: Buffer) => ((out += b.toString()), stopIfPastBrowser()));
    child.stderr.on("data", (b: Buffer) => ((out += b.toString()), stopIfPastBrowser()));
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out: out.trim() });
    });
  });
}

describe("npm test brings its own browser", () => {
  it("uses a browser that is already there, installing nothing", () => {
    writeFileSync(path.join(empty, "chromium-browser"), "#!/bin/sh\n");
    chmodSync(path.join(empty, "chromium-browser"), 0o755);
    const marker = path.join(dir, "installed");
    const r = ensureBrowser({ CREDITDESK_PLAYWRIGHT_INSTALL: `touch ${marker}`, CREDITDESK_APT_INSTALL: `touch ${marker}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(path.join(empty, "chromium-browser"));
    expect(existsSync(marker)).toBe(false);
  });

  it("with no browser and no way to install one, stops with one line saying what to run", () => {
    const r = ensureBrowser({});
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    // Only its own one-line notes (what it tried) and, last, the one line that says what to run; nothing from the installers.
    const lines = r.stderr.split("\n");
    expect(lines.every((l) => l.startsWith("[creditdesk] "))).toBe(true);
    expect(r.stderr).not.toMatch(/network unreachable/);
    expect(lines.filter((l) => /no Chromium for the end-to-end tests/.test(l))).toEqual([lines.at(-1)]);
    expect(r.stderr).toContain("apt-get install -y chromium");
    expect(r.stderr).toContain("npx playwright install chromium");
  });

  it("npm test stops before running anything when no browser can be had", async () => {
    const r = await npmTest({});
    expect(r.out).not.toContain("== typecheck");
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.out.split("\n").at(-1)).toMatch(/^\[creditdesk\] no Chromium for the end-to-end tests.*run `sudo apt-get install -y chromium`/);
  }, 70_000);

  it("installs Playwright's Chromium where that can download, and uses it", () => {
    const target = path.join(empty, "chromium");
    const marker = path.join(dir, "playwright-ran");
    const r = ensureBrowser({ CREDITDESK_PLAYWRIGHT_INSTALL: installing(target, marker) });
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(r.stdout).toBe(target);
  });

  it("bounds Playwright's download with a timeout, then falls back to apt", () => {
    const target = path.join(empty, "chromium");
    const marker = path.join(dir, "apt-ran");
    const started = Date.now();
    const r = ensureBrowser({
      CREDITDESK_PLAYWRIGHT_INSTALL: "sleep 20",
      CREDITDESK_BROWSER_INSTALL_TIMEOUT: "1",
      CREDITDESK_APT_INSTALL: installing(target, marker),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(target);
  });

  it("installs Debian's chromium with apt (updating the package lists when the first install fails), and uses it", () => {
    const target = path.join(empty, "chromium");
    const updated = path.join(dir, "apt-updated");
    const marker = path.join(dir, "apt-ran");
    // Like apt on a fresh container: the install fails until the package lists have been fetched.
    const aptInstall = `sh -c 'test -f "${updated}" || { echo "E: Unable to locate package chromium" >&2; exit 100; }; ${installBody(target, marker)}'`;
    const r = ensureBrowser({ CREDITDESK_APT_INSTALL: aptInstall, CREDITDESK_APT_UPDATE: `touch ${updated}` });
    expect(r.code).toBe(0);
    expect(existsSync(updated)).toBe(true);
    expect(existsSync(marker)).toBe(true);
    expect(r.stdout).toBe(target);
    expect(spawnSync(r.stdout, { encoding: "utf8" }).stdout).toBe("fake chromium\n");
  });

  it("playwright.config.ts launches the browser the script found", async () => {
    vi.stubEnv("CREDITDESK_CHROMIUM", "/opt/found/chromium");
    vi.resetModules();
    const config = (await import("../playwright.config")).default;
    expect(config.use?.launchOptions?.executablePath).toBe("/opt/found/chromium");
    vi.unstubAllEnvs();
  });
});
