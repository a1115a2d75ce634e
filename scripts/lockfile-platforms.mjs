// The offline npm mirror lacks other platforms' native builds (swc, oxide, rollup ...), so `npm install`
// leaves them out of package-lock.json and `npm ci` then calls the lock out of sync. This adds lock entries
// for those optional packages with their os/cpu, so `npm ci` skips them here and installs them elsewhere.
// Run after `npm install` changes the lock: node scripts/lockfile-platforms.mjs
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pkgs = lock.packages;
const osNames = ["android", "darwin", "freebsd", "linux", "win32", "openbsd", "openharmony", "netbsd", "sunos", "aix"];
const cpuNames = ["arm64", "x64", "ia32", "loong64", "ppc64", "riscv64", "s390x", "wasm32", "arm"];
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (pkgs[base] || pkgs[`node_modules/${name}`]) continue;
    const tokens = name.split("/").pop().split("-");
    const os = tokens.find((t) => osNames.includes(t));
    const cpu = tokens.find((t) => cpuNames.includes(t)) ?? (tokens.includes("arm") ? "arm" : undefined);
    if (!os && !cpu) continue;
    const entry = { version: spec.replace(/^[\^~=]/, ""), optional: true };
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
    if (tokens.includes("musl")) entry.libc = ["musl"];
    else if (tokens.includes("gnu") || tokens.includes("gnueabihf")) entry.libc = ["glibc"];
    pkgs[`node_modules/${name}`] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries`);
