#!/usr/bin/env node
// Finds (or installs) the Chromium the end-to-end tests run in, and prints its path on stdout; `npm test` runs this
// before anything else. In order: CREDITDESK_CHROMIUM if set; a browser already there (Debian's /usr/bin/chromium,
// chromium-browser, Playwright's own cached one); Playwright's download (bounded by a timeout: it cannot download
// offline); as root or with passwordless sudo on Debian, `apt-get install chromium` (after `apt-get update` if the
// first try fails). Each install attempt says so in one line; the installers' own output is kept quiet. If no browser can
// be had it ends with one line saying what to run, and exits 1, so `npm test` stops before running anything.
//
// For tests of this set-up path, everything it looks at or runs can be replaced:
//   CREDITDESK_BROWSER_CANDIDATES      colon-separated executables to look for (instead of the defaults above)
//   CREDITDESK_PLAYWRIGHT_INSTALL      command that installs Playwright's Chromium (default: npx playwright install chromium)
//   CREDITDESK_APT_INSTALL             command that installs Debian's chromium (default: [sudo -n] apt-get install ...)
//   CREDITDESK_APT_UPDATE              command that refreshes the package lists (default: [sudo -n] apt-get update)
//   CREDITDESK_BROWSER_INSTALL_TIMEOUT seconds each install command may take (default 300)
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";

const env = process.env;
const say = (line) => process.stderr.write(`[creditdesk] ${line}\n`);

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

async function playwrightChromium() {
  try {
    const { chromium } = await import("playwright-core");
    return chromium.executablePath();
  } catch {
    return null; // dependencies not installed, or no Playwright build for this platform
  }
}

async function found() {
  const list =
    env.CREDITDESK_BROWSER_CANDIDATES !== undefined
      ? env.CREDITDESK_BROWSER_CANDIDATES.split(":").filter(Boolean)
      : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const file = list.find(executable);
  if (file || env.CREDITDESK_BROWSER_CANDIDATES !== undefined) return file ?? null;
  const cached = await playwrightChromium(); // imported only when needed: it takes a moment to load
  return cached && executable(cached) ? cached : null;
}

const timeoutSeconds = Number(env.CREDITDESK_BROWSER_INSTALL_TIMEOUT ?? 300);
/** Runs an install command quietly; true when it exits 0 in time. On timeout its whole process group is killed (npx
 * starts a child of its own that would otherwise go on downloading). */
function run(command) {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, detached: true, stdio: "ignore", env: { ...env, DEBIAN_FRONTEND: "noninteractive" } });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutSeconds * 1000);
    child.on("error", () => (clearTimeout(timer), resolve(false)));
    child.on("exit", (code) => (clearTimeout(timer), resolve(code === 0)));
  });
}

async function aptCommands() {
  if (env.CREDITDESK_APT_INSTALL !== undefined) return { install: env.CREDITDESK_APT_INSTALL, update: env.CREDITDESK_APT_UPDATE ?? "true" };
  if (!(await run("command -v apt-get"))) return null; // not Debian or Ubuntu
  let sudo = "";
  if (process.getuid?.() !== 0) {
    if (!(await run("sudo -n true"))) return null; // not root, and sudo would ask for a password
    sudo = "sudo -n ";
  }
  return {
    install: `${sudo}apt-get install -y --no-install-recommends chromium`,
    update: env.CREDITDESK_APT_UPDATE ?? `${sudo}apt-get update`,
  };
}

async function main() {
  if (env.CREDITDESK_CHROMIUM && executable(env.CREDITDESK_CHROMIUM)) return env.CREDITDESK_CHROMIUM;
  let browser = await found();
  if (browser) return browser;

  say("no Chromium found for the end-to-end tests: trying `npx playwright install chromium`");
  if ((await run(env.CREDITDESK_PLAYWRIGHT_INSTALL ?? "npx --no-install playwright install chromium")) && (browser = await found())) return browser;

  const apt = await aptCommands();
  if (apt) {
    say("Playwright cannot download its browser here: installing Debian's chromium with apt-get");
    if (!(await run(apt.install)) && (await run(apt.update))) await run(apt.install);
    if ((browser = await found())) return browser;
  }
  return null;
}

const browser = await main();
if (browser) {
  process.stdout.write(`${browser}\n`);
} else {
  process.stderr.write(
    "[creditdesk] no Chromium for the end-to-end tests, and none could be installed here: run `sudo apt-get install -y chromium` (Debian/Ubuntu) or `npx playwright install --with-deps chromium`, or set CREDITDESK_CHROMIUM to a Chromium executable, then `npm test` again\n",
  );
  process.exitCode = 1;
}
