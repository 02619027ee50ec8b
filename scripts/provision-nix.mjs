#!/usr/bin/env node
// Provisions newer Nix versions beside the system's (Debian bookworm's nix-bin 2.8.0), so tests can
// run on each: Debian's own nix-bin builds, unpacked with the libraries they link against, never
// installed. The system's apt sources, dpkg database and libc are not touched.
//
//   node scripts/provision-nix.mjs [--tools DIR] [VERSION...]   default: every version in NIX_SUITES
//
// For each version it prints one line "VERSION BINDIR"; put BINDIR first on PATH to use that Nix
// (nix, nix-build, nix-store, nix-daemon, ... are all there). Results live in .tools/nix/VERSION/
// (DIR/nix/VERSION/ with --tools) and are reused by later runs; delete that folder to provision
// again. provisionNix() does the same for code that imports it.
//
// How: apt-get with its own sources list, lists and cache (in a scratch folder) fetches nix-bin and
// the library packages of its dependency closure from the suite that ships the version; dpkg -x
// unpacks them into one root; patchelf points the nix binary at that root's loader and libraries.
// Nix is a multi-call binary that dispatches on the base name of argv[0], and looks for its sibling
// commands (nix-env for nix-channel, ...) next to /proc/self/exe, so the patched binary and its
// links share one folder.
//
// Needs root the first time only if patchelf is missing (installed with apt-get). The Debian mirror
// is the first one in the system's apt sources unless NIX_PROVISION_MIRROR says otherwise
// (scripts/lib/debian-mirror.mjs).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { aptInstall } from "./lib/apt.mjs";
import { debianMirror } from "./lib/debian-mirror.mjs";

/** Version → the Debian suite that ships it; a suite moves on, and then this table must follow. */
export const NIX_SUITES = Object.freeze({ "2.26.3": "trixie", "2.34.8": "sid" });
/** Every version provisionNix provisions unless told which. */
export const NIX_VERSIONS = Object.freeze(Object.keys(NIX_SUITES));
const COMMANDS = ["nix-build", "nix-store", "nix-daemon", "nix-instantiate", "nix-env", "nix-shell", "nix-copy-closure",
  "nix-collect-garbage", "nix-channel", "nix-prefetch-url", "nix-hash"];

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SCRIPT), "..");
const log = (/** @type {string} */ msg) => console.error(`provision-nix: ${msg}`);
/** The longest one command (an apt-get update or download, a dpkg -x) may take. */
const COMMAND_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs a command; its stdout is returned (`capture`), dropped (`quiet`) or goes to stderr, so this
 * program's stdout holds only its "VERSION BINDIR" lines. Throws `fail` when it exits non-zero.
 * @param {string} cmd @param {string[]} args
 * @param {{ fail: string, cwd?: string, env?: NodeJS.ProcessEnv, capture?: boolean, quiet?: boolean }} o
 */
function run(cmd, args, o) {
  const r = spawnSync(cmd, args, {
    cwd: o.cwd,
    env: o.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: COMMAND_TIMEOUT_MS,
    stdio: ["ignore", o.capture ? "pipe" : o.quiet ? "ignore" : 2, 2],
  });
  if (r.status !== 0) throw new Error(r.error ? `${o.fail}: ${cmd}: ${r.error.message}` : o.fail);
  return r.stdout ?? "";
}

/** What a program prints (stdout and stderr) when it runs at all; undefined when it cannot start. @param {string} bin @param {string[]} args */
const output = (bin, args) => {
  const r = spawnSync(bin, args, { encoding: "utf8" });
  return r.error ? undefined : { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** True when DIR/bin/nix answers as VERSION. @param {string} dir @param {string} version */
const works = (dir, version) => output(path.join(dir, "bin", "nix"), ["--version"])?.stdout.replace(/\n+$/, "") === `nix (Nix) ${version}`;

function ensurePatchelf() {
  if (output("patchelf", ["--version"])?.status !== 0) aptInstall(["patchelf"], "provision-nix");
}

/**
 * Takes the provisioners' lock (DIR/.lock, flock(2), as every earlier provisioner took it): one at a
 * time, as two would unpack into the same folders. flock(1) locks the open file it is handed and
 * exits; the lock belongs to that open file, which stays open here until the returned function
 * closes it (or this process ends).
 * @param {string} dir @returns {() => void} the unlock
 */
function lock(dir) {
  const file = path.join(dir, ".lock");
  const fd = fs.openSync(file, "a");
  const r = spawnSync("flock", ["-w", "600", "3"], { stdio: ["ignore", "ignore", 2, fd] });
  if (r.status !== 0) {
    fs.closeSync(fd);
    throw new Error(r.error ? `flock: ${r.error.message}` : `another provisioner has held ${file} for 10 minutes`);
  }
  return () => fs.closeSync(fd);
}

/**
 * Fetches nix-bin of `version` and the packages that carry its libraries from Debian `suite` into
 * `w`/debs (perl's left out: they are there only for the perl bindings).
 * @param {string} w @param {string} version @param {string} suite
 */
function download(w, version, suite) {
  for (const d of ["lists/partial", "cache/archives/partial", "debs"]) fs.mkdirSync(path.join(w, d), { recursive: true });
  fs.writeFileSync(path.join(w, "sources.list"), `deb ${debianMirror()} ${suite} main\n`);
  const A = ["-o", `Dir::Etc::sourcelist=${w}/sources.list`, "-o", "Dir::Etc::sourceparts=-", "-o", `Dir::State::lists=${w}/lists`,
    "-o", `Dir::Cache=${w}/cache`, "-o", "APT::Sandbox::User=root"];
  run("apt-get", [...A, "update", "-qq"], { fail: `apt-get update for ${suite} failed` });
  const shown = run("apt-cache", [...A, "show", "nix-bin"], { capture: true, fail: `apt-cache show nix-bin (${suite}) failed` });
  const candidate = /^Version:\s*(\S+)/m.exec(shown)?.[1] ?? "";
  if (candidate.split("+")[0] !== version && candidate.split("-")[0] !== version) {
    throw new Error(`Debian ${suite} now ships nix-bin ${candidate || "(none)"}, not ${version}: update NIX_SUITES in ${path.relative(ROOT, SCRIPT)}`);
  }
  const noOthers = ["--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"];
  const depends = run("apt-cache", [...A, "depends", "--recurse", ...noOthers, "nix-bin"], { capture: true, fail: `apt-cache depends nix-bin (${suite}) failed` });
  const pkgs = [...new Set(depends.split("\n").filter((l) => /^(nix-bin|lib[^ ]*|zlib1g)$/.test(l) && !l.includes("perl")))].sort();
  run("apt-get", [...A, "download", ...pkgs, "-qq"], { cwd: path.join(w, "debs"), quiet: true, fail: `apt-get download from ${suite} failed` });
}

/**
 * Unpacks the downloaded packages into `w`/out (root/: the packages; bin/: nix and its links) with
 * the binaries pointed at `root`, the root's final place (the folder is renamed there afterwards).
 * @param {string} w @param {string} root
 */
function unpack(w, root) {
  const out = path.join(w, "out");
  fs.mkdirSync(path.join(out, "root"), { recursive: true });
  fs.mkdirSync(path.join(out, "bin"));
  for (const deb of fs.readdirSync(path.join(w, "debs")).filter((f) => f.endsWith(".deb")).sort()) {
    run("dpkg", ["-x", path.join(w, "debs", deb), path.join(out, "root")], { fail: `dpkg -x ${deb} failed` });
  }
  fs.renameSync(path.join(out, "root/usr/bin/nix"), path.join(out, "bin/nix"));
  const libexec = path.join(out, "root/usr/libexec");
  const helpers = fs.existsSync(libexec) ? fs.readdirSync(libexec).filter((f) => f.startsWith("nix-")).map((f) => path.join(libexec, f)) : [];
  for (const elf of [path.join(out, "bin/nix"), ...helpers.filter((f) => fs.statSync(f).isFile())]) {
    const rpath = `${root}/usr/lib/x86_64-linux-gnu:${root}/lib/x86_64-linux-gnu`;
    run("patchelf", ["--set-interpreter", `${root}/usr/lib64/ld-linux-x86-64.so.2`, "--force-rpath", "--set-rpath", rpath, elf], { fail: `patchelf ${elf} failed` });
  }
  for (const c of COMMANDS) fs.symlinkSync("nix", path.join(out, "bin", c));
}

/** Why the provisioned Nix in `final` is not fit to use, or undefined. @param {string} final @param {string} version */
function unfit(final, version) {
  const root = path.join(final, "root");
  // Every library from the unpacked root, none from the host (a mix of two libcs crashes at random).
  const listed = output(path.join(root, "usr/lib64/ld-linux-x86-64.so.2"), ["--list", path.join(final, "bin/nix")])?.stdout ?? "";
  const outside = listed.split("\n").filter((l) => l.includes("=>") && !l.includes(`=> ${root}/`));
  if (outside.length > 0) return `Nix ${version} would load libraries from the host: ${outside.map((l) => l.trim()).join("; ")}`;
  if (!works(final, version)) {
    const said = output(path.join(final, "bin/nix"), ["--version"]);
    return `the unpacked Nix ${version} does not run: ${`${said?.stdout ?? ""}${said?.stderr ?? ""}`.split("\n").slice(0, 3).join("\n")}`;
  }
  const wrong = COMMANDS.find((c) => !output(path.join(final, "bin", c), ["--version"])?.stdout.includes(version));
  return wrong && `${wrong} of Nix ${version} does not answer as itself`;
}

/** Provisions one version into `dir`/VERSION unless a working one is there. @param {string} dir @param {string} version */
function provisionOne(dir, version) {
  const suite = NIX_SUITES[/** @type {keyof typeof NIX_SUITES} */ (version)];
  const final = path.join(dir, version);
  if (works(final, version)) return;
  if (process.arch !== "x64") throw new Error(`Debian's nix-bin is unpacked for x86_64 only (this machine is ${process.arch})`);
  fs.rmSync(final, { recursive: true, force: true });
  ensurePatchelf();
  log(`Nix ${version} from Debian ${suite}: downloading and unpacking`);
  const w = fs.mkdtempSync(path.join(dir, `.work-${version}.`));
  try {
    download(w, version, suite);
    // Paths written into the binaries are the physical ones: a .tools/ shared through a symlink
    // serves every checkout that links to it, whichever one provisioned it.
    unpack(w, path.join(fs.realpathSync(dir), version, "root"));
    fs.renameSync(path.join(w, "out"), final);
    const why = unfit(final, version);
    if (why) {
      fs.rmSync(final, { recursive: true, force: true });
      throw new Error(why);
    }
  } finally {
    fs.rmSync(w, { recursive: true, force: true });
  }
}

/**
 * Provisions each version (default: all of NIX_VERSIONS) under `tools`/nix (default: .tools/nix),
 * reusing those already there, and returns where each one's commands are. `onEach` hears of each
 * version as soon as it is ready. Throws, naming the version and why, when one cannot be had.
 * @param {readonly string[]} [versions]
 * @param {{ tools?: string, onEach?: (p: { version: string, bindir: string }) => void }} [o]
 * @returns {{ version: string, bindir: string }[]}
 */
export function provisionNix(versions = NIX_VERSIONS, o = {}) {
  const unknown = versions.filter((v) => !Object.hasOwn(NIX_SUITES, v));
  if (unknown.length > 0) throw new Error(`no Debian suite known for Nix ${unknown.join(", ")} (known: ${NIX_VERSIONS.join(", ")})`);
  const dir = path.join(o.tools ?? path.join(ROOT, ".tools"), "nix");
  fs.mkdirSync(dir, { recursive: true });
  const unlock = lock(dir);
  try {
    // Scratch folders a provisioner killed mid-way left behind; no other one runs while the lock is held.
    for (const f of fs.readdirSync(dir).filter((f) => f.startsWith(".work-"))) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    return versions.map((version) => {
      provisionOne(dir, version);
      const ready = { version, bindir: path.join(dir, version, "bin") };
      o.onEach?.(ready);
      return ready;
    });
  } finally {
    unlock();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--tools");
  const tools = at >= 0 ? args.splice(at, 2)[1] : undefined;
  if (at >= 0 && !tools) {
    console.error("usage: provision-nix.mjs [--tools DIR] [VERSION...]  (--tools needs a folder)");
    process.exit(2);
  }
  try {
    provisionNix(args.length > 0 ? args : NIX_VERSIONS, { tools: tools && path.resolve(tools), onEach: (p) => console.log(`${p.version} ${p.bindir}`) });
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
