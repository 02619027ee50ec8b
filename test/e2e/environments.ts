// The rows' `env` and `nix` columns: what a row's runner is told to run its job in (a label of the
// runner config templates, or an image), what the job container gets, the environment output it must
// lead to, and what the action must (or must not) say there; and the Nix first on the job's PATH.
// What an environment needs (an image, a host daemon, the real installer) is made once, by
// `ready`, the first time a row asks for it.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startHostDaemon } from "../../scripts/containers/host-daemon.mjs";
import { HOST, labelImage } from "../../scripts/lib/runners.mjs";
import { provisionNix } from "../../scripts/provision-nix.mjs";
import { parseNixVersion } from "../../src/nix/version.js";
import { context, own, ready, ROOT, step } from "./context.js";
import type { Env, Row } from "./rows.js";

const CONTAINERS = path.join(ROOT, "scripts/containers");
const BUILD_IMAGES = [process.execPath, path.join(CONTAINERS, "build-images.mjs")];
const HOST_DAEMON = path.join(CONTAINERS, "host-daemon.mjs");
export const PODMAN = ["bash", path.join(CONTAINERS, "podman.sh")];

/** "2.8.0" of `nix (Nix) 2.8.0`, from the nix at `bin` (or on PATH), read by the action's parser; upstream Nix only. */
function nixFull(bin = "nix"): string | undefined {
  const v = parseNixVersion(spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout ?? "");
  return v?.implementation === "upstream" ? v.version : undefined;
}
const minor = (v: string | undefined) => v?.split(".").slice(0, 2).join(".");
const HOST_NIX = nixFull() ?? "unknown";

// ------------------------------------------------------------------------------------------------
// nix: the folder of a Nix of that version to put first on the job's PATH; none when the nix first
// on this PATH is of that version (Debian's /usr/bin/nix, 2.8). Other versions are Debian's newer
// nix-bin builds, scripts/provision-nix.mjs's BINDIRs (.tools/nix/VERSION/bin, made once for the
// run): the runner's PATH starts with it, so the job's steps, the action and the daemon it may
// start (nix-daemon beside nix) all run that Nix on this run's store.
let provisioned: { version: string; bindir: string }[] = [];
async function nixVersions(): Promise<typeof provisioned> {
  await ready("nix-versions", (log) => {
    provisioned = provisionNix();
    for (const p of provisioned) log(`${p.version} ${p.bindir}`);
  });
  return provisioned;
}

/** The Nix of a row: its BINDIR (undefined for the one on PATH) and full version. */
export async function nixOf(version: Row["nix"]): Promise<{ dir?: string; full: string }> {
  if (minor(HOST_NIX) === version) return { full: HOST_NIX };
  const have = await nixVersions();
  const found = have.find((v) => minor(v.version) === version);
  if (!found) {
    throw new Error(`no Nix ${version} on this machine (the nix on PATH is ${HOST_NIX}; scripts/provision-nix.mjs gives ${have.map((v) => v.version).join(", ") || "none"})`);
  }
  const full = nixFull(path.join(found.bindir, "nix"));
  if (minor(full) !== version) throw new Error(`${found.bindir}/nix does not answer as Nix ${version}`);
  return { dir: found.bindir, full: full as string };
}

/** This process's environment with a Nix's folder first on PATH. */
const withNix = (dir?: string): NodeJS.ProcessEnv => (dir ? { ...process.env, PATH: `${dir}:${process.env.PATH}` } : process.env);

// ------------------------------------------------------------------------------------------------
// env
export interface Setup {
  /** runs-on label → image or HOST, for runners.mjs */
  platforms: Record<string, string>;
  /** Set for a job container: its image, docker options, and what the outputs must say. */
  container?: { image: string; opts: string; environment: string; nix: string };
  /** Fixed strings the action must say in the job's log. */
  said: string[];
  /** Fixed strings it must never say there. */
  unsaid: string[];
  /** The Nix folder first on the runner's PATH (host mode). */
  nixDir?: string;
}

export const TAG = {
  nix: (v: string) => `localhost/nra-nix-job:${v}`,
  shared: (v: string) => `localhost/nra-nix-job-shared:${v}`,
  noremote: (v: string) => `localhost/nra-nix-job-shared-noremote:${v}`,
  debian: "localhost/nra-debian:bookworm",
};
/** The registry image the runner config templates' nix label names, and the image built here that stands in for it. */
const STAND_INS = { "registry.example.com/ci/nix-runner:latest": TAG.nix(HOST_NIX) };

/**
 * The job's runs-on (ubuntu-latest in the e2e workflows) under a label of the runner's config
 * template (workflows-templates/runners/): a wrong label or image there fails the row.
 */
function labelled(row: Row, label: string): Record<string, string> {
  // gitlab-ci-local has no runner config: its kinds name the image themselves
  if (row.runner === "gitlab") return {};
  return { "ubuntu-latest": labelImage(row.runner, label, STAND_INS) };
}

/** An image of build-images.mjs (WHAT: nix, shared, shared-noremote, debian), made with the Nix in `nixDir`. */
function image(what: string, nixDir?: string, full?: string): Promise<void> {
  return ready(`image-${what}${full ? `-${full}` : ""}`, (log) => {
    own({ podman: true });
    step(log, BUILD_IMAGES[0], [...BUILD_IMAGES.slice(1), what], { env: withNix(nixDir) });
  });
}

/** Plain Debian bookworm (build-images.mjs debian): gitlab-ci-local's helper image in docker mode. */
export async function debianImage(): Promise<string> {
  await image("debian");
  return TAG.debian;
}

/** The "host's daemon" of the shared-store setup: a nix-daemon of the row's Nix on a private socket, its nix.conf the host admin's. */
function daemon(trusted: boolean, nixDir: string | undefined, full: string): Promise<void> {
  const name = `daemon-${trusted ? "trusted" : "untrusted"}-${full}`;
  return ready(name, async (log) => {
    const dir = daemonDir(trusted, full);
    own({ pidDir: dir, stop: [process.execPath, HOST_DAEMON, "stop", dir] });
    const d = await startHostDaemon(dir, `trusted-users = ${trusted ? "root" : "nobody"}`, { env: withNix(nixDir) });
    log(`nix-daemon pid ${d.pid} on ${d.socket}`);
  });
}
const daemonDir = (trusted: boolean, full: string) => path.join(context().work, `daemon-${trusted ? "trusted" : "untrusted"}-${full}`);
/** The docker options that give a job the host's store, database (both read-only) and a daemon's socket. */
const sharedOpts = (trusted: boolean, full: string) =>
  `-v /nix/store:/nix/store:ro -v /nix/var/nix/db:/nix/var/nix/db:ro -v ${daemonDir(trusted, full)}/socket:/nix/var/nix/daemon-socket`;

const DIFF_UNKNOWN = 'push: paths will be found by the diff method: it is unknown whether the daemon trusts user "root"';
const ADMIN_LINE = () => `the host admin adds to /etc/nix/nix.conf and restarts nix-daemon: extra-trusted-public-keys = ${context().key.pub}`;

/** Each environment: how to make it and what a row in it gets. */
const ENVIRONMENTS: Record<Env, (row: Row) => Promise<Setup>> = {
  // the templates' native-nix label (NAME:host: on this machine), not in a container
  host: async (row) => ({ platforms: labelled(row, "native-nix"), said: [], unsaid: [], nixDir: (await nixOf(row.nix)).dir }),

  // On the system's Nix, the templates' nix label, with the image built here standing in for the
  // registry's; on another Nix, the Nix job image made with that Nix, named directly.
  "nix-image": async (row) => {
    const n = await nixOf(row.nix);
    await image("nix", n.dir, n.dir ? n.full : undefined);
    const platforms = n.dir ? { "ubuntu-latest": TAG.nix(n.full) } : labelled(row, "nix");
    return { platforms, container: { image: TAG.nix(n.full), opts: "", environment: "image", nix: n.full }, said: [], unsaid: [] };
  },

  // Nix comes from DeterminateSystems' installer, the one real installer to be had here
  debian: async () => {
    const d = await determinate();
    return { platforms: { "ubuntu-latest": TAG.debian }, container: { image: TAG.debian, opts: "", environment: "installed", nix: d.nix }, said: [], unsaid: [] };
  },

  "shared-trusted": (row) => shared(row, true),
  "shared-untrusted": (row) => shared(row, false),

  "shared-noremote": async (row) => {
    const n = await nixOf(row.nix);
    await Promise.all([image("shared-noremote", n.dir, n.dir ? n.full : undefined), daemon(true, n.dir, n.full)]);
    const img = TAG.noremote(n.full);
    return {
      platforms: { "ubuntu-latest": img },
      container: { image: img, opts: sharedOpts(true, n.full), environment: "native", nix: n.full },
      said: ["The store cannot be written from this job but a daemon answers: NIX_REMOTE=daemon for this job's steps"],
      unsaid: [],
    };
  },
};

/**
 * The shared-store setup: the image of the row's Nix on a host daemon of that Nix. Nix 2.8's daemon
 * does not tell a client whether it trusts it and its nix.conf is the host's: the action cannot
 * know, so it takes the diff method, trusted or not, and warns that the daemon may not trust root.
 * From 2.15 on the daemon says (nix store ping --json): trusted, still the diff method (the host's
 * daemon cannot run a hook in this container) and no warning; untrusted, the warning.
 */
async function shared(row: Row, trusted: boolean): Promise<Setup> {
  const n = await nixOf(row.nix);
  await image("shared", n.dir, n.dir ? n.full : undefined);
  await daemon(trusted, n.dir, n.full);
  const img = TAG.shared(n.full);
  const container = { image: img, opts: sharedOpts(trusted, n.full), environment: "native", nix: n.full };
  const platforms = { "ubuntu-latest": img };
  if (minor(n.full) === "2.8") {
    return { platforms, container, said: trusted ? [DIFF_UNKNOWN] : [DIFF_UNKNOWN, ADMIN_LINE()], unsaid: [] };
  }
  if (trusted) {
    return {
      platforms,
      container,
      said: ["push: paths will be found by the diff method: the daemon runs on the host and cannot run a hook script inside this container"],
      unsaid: ['trust user "root"'],
    };
  }
  return {
    platforms,
    container,
    said: [
      'push: paths will be found by the diff method: the Nix daemon does not trust user "root", so it ignores a post-build-hook from this job',
      'The Nix daemon does not trust user "root", so it will ignore',
      ADMIN_LINE(),
    ],
    unsaid: [],
  };
}

/** What a row runs in; throws with the reason when its environment cannot be had here. */
export async function setUp(row: Row): Promise<Setup> {
  const s = await ENVIRONMENTS[row.env](row);
  if (s.container) {
    // a job container runs its image's Nix and node, not this machine's PATH
    if (minor(s.container.nix) !== row.nix) throw new Error(`the ${row.env} container's Nix is ${s.container.nix}, not ${row.nix}`);
    if (row.node !== 20) throw new Error(`the job images carry this machine's node (${process.version}), not node ${row.node}`);
  }
  return s;
}
export { HOST };

// ------------------------------------------------------------------------------------------------
// DeterminateSystems' installer, nix-installer 0.23.0 from the Rust crate registry, built by
// scripts/determinate/build.mjs into .tools/determinate when missing (with the Nix 2.34.8 tarball it
// downloads at install time, which the rows serve on 127.0.0.1), then checked on its own in the
// plain Debian image: it installs from that tarball with --init none. Its compile cache is kept
// beside cargo's download cache, outside the checkout (E2E_CARGO_TARGETS names another folder).
const DETERMINATE_DIR = path.join(ROOT, ".tools/determinate");
export const DETERMINATE = {
  bin: path.join(DETERMINATE_DIR, "nix-installer"),
  tarball: path.join(DETERMINATE_DIR, "nix-2.34.8-x86_64-linux.tar.xz"),
  sha: "",
  nix: "",
};

async function determinate(): Promise<typeof DETERMINATE> {
  await image("debian");
  await ready("installer-determinate", (log) => {
    if (!existsSync(DETERMINATE.bin) || !existsSync(DETERMINATE.tarball)) buildDeterminate(log);
    DETERMINATE.sha = createHash("sha256").update(readFileSync(DETERMINATE.bin)).digest("hex");
    log(`${execFileSync(DETERMINATE.bin, ["--version"], { encoding: "utf8" }).trim()}, sha256 ${DETERMINATE.sha}`);
    const check = spawnSync(PODMAN[0], [...PODMAN.slice(1), "run", "--rm", "--network", "none",
      "-v", `${DETERMINATE.bin}:/opt/nix-installer:ro`, "-v", `${DETERMINATE.tarball}:/opt/nix.tar.xz:ro`, TAG.debian, "bash", "-c",
      "/opt/nix-installer install linux --init none --no-confirm --nix-package-url file:///opt/nix.tar.xz >/tmp/install.log 2>&1; echo with-init-none=$?; " +
        '/nix/var/nix/profiles/default/bin/nix --version; grep -iE "error|failed" /tmp/install.log | head -n 5'], { encoding: "utf8", timeout: 600_000 });
    const out = `${check.stdout ?? ""}${check.stderr ?? ""}`;
    log(out.trimEnd());
    if (!/^with-init-none=0$/m.test(out)) throw new Error("installer-determinate: it did not install from a Nix tarball with --init none --no-confirm");
    DETERMINATE.nix = out.split("\n").map((l) => parseNixVersion(l)).find((v) => v !== undefined)?.version ?? "";
    if (!DETERMINATE.nix) throw new Error("installer-determinate: the installed nix does not run");
  });
  return DETERMINATE;
}

function buildDeterminate(log: (line: string) => void): void {
  mkdirSync(DETERMINATE_DIR, { recursive: true });
  const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo");
  const targets = process.env.E2E_CARGO_TARGETS ?? path.join(cargoHome, "nix-runner-action-targets");
  const env = { ...process.env, PATH: `${process.env.PATH}:${path.join(cargoHome, "bin")}:/root/.cargo/bin`, CARGO_TARGET_DIR: path.join(targets, "determinate") };
  if (spawnSync("sh", ["-c", "command -v cargo"], { env }).status !== 0) throw new Error("cargo is not installed: Determinate's installer is built from Rust sources");
  log("building DeterminateSystems' nix-installer 0.23.0 (log: .tools/determinate/build.log)");
  const t0 = Date.now();
  const r = spawnSync("sh", ["-c", `nice -n 10 "$0" "$1" "$2" >"$2/build.log" 2>&1`, process.execPath, path.join(ROOT, "scripts/determinate/build.mjs"), DETERMINATE_DIR], { env, timeout: 1_800_000 });
  if (r.status !== 0) {
    log(readFileSync(path.join(DETERMINATE_DIR, "build.log"), "utf8").split("\n").slice(-20).join("\n"));
    throw new Error("scripts/determinate/build.mjs failed");
  }
  log(`built in ${Math.round((Date.now() - t0) / 1000)} s`);
}
