#!/usr/bin/env node
// Makes the job images the container runs use, offline (nothing is pulled: no registry is
// reachable), into podman.sh's storage. Each stands for a setup our users run:
//
//   nix      localhost/nra-nix-job:<nix version>
//            THE NIX JOB IMAGE, what teams build with nixpkgs' dockerTools (`runs-on: nix`): every
//            program lives in /nix/store (Nix in /nix/store/<hash>-nix-<version>/, node, bash,
//            coreutils, grep, sed, tar, gzip, zstd, findutils, git, CA certificates, as the job image
//            template has them: check-image checks them), /bin holds symlinks
//            into the store, the store's database knows its paths, /etc/nix/nix.conf is a read-only
//            symlink into the store, jobs run as root (single-user Nix, no daemon) and NIX_CONFIG
//            in the image's env turns off build users and the sandbox and turns on flakes.
//            The store paths are Debian's programs made self-contained by bundle.nix, built with
//            this machine's Nix (Debian's nix-bin), as nixpkgs would build them from source.
//   shared   localhost/nra-nix-job-shared:<nix version>
//            A CONTAINER ON THE HOST'S DAEMON, the shared-store setup: the same image without its
//            own /nix. The job is started with the host's /nix/store and /nix/var/nix/db mounted
//            read-only and the host daemon's socket at /nix/var/nix/daemon-socket/socket; the
//            image sets NIX_REMOTE=daemon. Its programs are the `nix` image's store paths, which
//            are in this machine's store (they were built there), so they resolve through the mount.
//   shared-noremote   localhost/nra-nix-job-shared-noremote:<nix version>
//            The same shared-store image WITHOUT NIX_REMOTE in its env, as an image made for the
//            host's store by a team that forgot it: the action must see the read-only store and the
//            daemon's socket and set NIX_REMOTE=daemon for the job's steps itself.
//   debian   localhost/nra-debian:bookworm
//            A PLAIN DEBIAN CONTAINER WITHOUT NIX, as a team's debian:bookworm or ubuntu job image:
//            `debootstrap --variant=minbase bookworm` from Debian's archive, plus the machine's
//            node at /usr/local/bin/node (the runners run a JavaScript action with the job
//            container's own `node`, as node:20-bookworm-slim or the runners' default images have).
//
//   node scripts/containers/build-images.mjs [--force] nix|shared|shared-noremote|debian|all...   (default: all)
// The Nix images carry the nix first on PATH (Debian's /usr/bin/nix, 2.8, or with a BINDIR of
// scripts/provision-nix.mjs first on PATH that version: the tags say which) and are built with it.
// The shared images' store paths are (re)built in this machine's store every time, kept or not:
// the job sees them through the host's /nix/store, which may be a fresh one (with-fresh-nix.sh).
// An image made by the same scripts is kept unless --force. Prints one line per image: tag, seconds taken.
// Needs root, Debian's nix-bin, patchelf, debootstrap (installed when missing) and node.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run, runLines, runMain, scratchDir, which } from "../lib/command.mjs";
import { debianMirror } from "../lib/debian-mirror.mjs";
import { HOST_NIX_CONFIG } from "../lib/nix.mjs";
import { parseNixVersion } from "../../src/nix/version-line.mjs";

const SELF = fileURLToPath(import.meta.url);
const HERE = path.dirname(SELF);
const IMAGES = path.join(HERE, "../../.tools/images");
const ROOTS = path.join(IMAGES, "roots");
const WHAT = ["nix", "shared", "shared-noremote", "debian", "all"];
const USAGE = `usage: build-images.mjs [--force] ${WHAT.join("|")}...`;

/** The images' tags; the Nix ones name the version of the nix they are built with. @param {string} nixVersion */
export const tags = (nixVersion) => ({
  nix: `localhost/nra-nix-job:${nixVersion}`,
  shared: `localhost/nra-nix-job-shared:${nixVersion}`,
  noremote: `localhost/nra-nix-job-shared-noremote:${nixVersion}`,
  debian: "localhost/nra-debian:bookworm",
});

/**
 * The version in `nix --version`'s output ("nix (Nix) 2.8.0" → "2.8.0"), read by the action's own
 * parser. Upstream Nix only: the images name its store path nix-<version>, as nixpkgs does, which
 * the action reads back (versionFromStorePath). @param {string} out
 */
export function nixVersionOf(out) {
  const v = parseNixVersion(out);
  if (v?.implementation !== "upstream") throw new Error(`nix --version said "${out.trim()}", not "nix (Nix) VERSION": put an upstream Nix first on PATH`);
  return v.version;
}

/** A Debian version as upstream numbers it ("1:2.39.2-1.1" → "2.39.2", "20230311+deb12u1" stays). @param {string} v */
export const upstreamVersion = (v) => v.replace(/^[0-9]*:/, "").replace(/-[^-]*$/, "").replace(/\+dfsg.*/, "");

/**
 * The env of a Nix image (`nixRemote`: its NIX_REMOTE, or none).
 * @param {{ nix: string, git: string }} paths the store paths of its Nix and git @param {string} [nixRemote]
 */
export function imageEnv(paths, nixRemote) {
  const env = [
    "PATH=/bin:/usr/bin",
    "HOME=/root",
    "USER=root",
    "NIX_CONFIG=build-users-group =\nsandbox = false\nexperimental-features = nix-command flakes",
    "SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt",
    "NIX_SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt",
    // Debian built its nix-bin with /usr/libexec and /usr/bin compiled in (the build hook is
    // /usr/libexec/nix/build-remote); nixpkgs would compile in the store path. Nix reads these
    // two variables before its compiled-in paths.
    `NIX_LIBEXEC_DIR=${paths.nix}/libexec`,
    `NIX_BIN_DIR=${paths.nix}/bin`,
    `GIT_EXEC_PATH=${paths.git}/libexec/git-core`,
    `GIT_TEMPLATE_DIR=${paths.git}/share/git-core/templates`,
  ];
  return nixRemote ? [...env, `NIX_REMOTE=${nixRemote}`] : env;
}

/**
 * The image config of a one-layer image, as dockerTools.buildImage writes it.
 * @param {string[]} env @param {string} recipe @param {string} layerDigest the layer tar's sha256
 */
export const imageConfig = (env, recipe, layerDigest) =>
  JSON.stringify({
    architecture: "amd64",
    os: "linux",
    created: "1970-01-01T00:00:01Z",
    config: { Env: env, Cmd: ["/bin/bash"], WorkingDir: "/root", Labels: { "nra.recipe": recipe } },
    rootfs: { type: "layers", diff_ids: [`sha256:${layerDigest}`] },
  });

/** The nix.conf of the Nix job image. Offline here, so no substituter (a real image lists https://cache.nixos.org/). */
const IMAGE_NIX_CONF = [
  "# the Nix job image's nix.conf (scripts/containers/build-images.mjs)",
  "build-users-group =",
  "sandbox = false",
  "experimental-features = nix-command flakes",
  "substituters =",
  "trusted-public-keys = cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=",
].join("\n");

/** Nix's multi-call names besides `nix`, linked to it in the image's Nix. */
const NIX_COMMANDS = "nix-build nix-channel nix-collect-garbage nix-copy-closure nix-daemon nix-env nix-hash nix-instantiate nix-prefetch-url nix-shell nix-store";
/** The Debian packages whose programs the Nix images carry as they are, beside nix, node, bash, git and the CA bundle. */
const PLAIN_PACKAGES = ["coreutils", "grep", "sed", "tar", "gzip", "findutils", "zstd"];

/** The program `name` on PATH, symlinks resolved (`readlink -f "$(command -v NAME)"`). @param {string} name */
function onPath(name) {
  const found = which(name);
  if (!found) throw new Error(`${name} is not on PATH`);
  return realpathSync(found);
}

/** stat(2) of `p` (symlinks followed), or undefined where there is nothing to stat. @param {string} p */
function statOf(p) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** sha256 of a file, read in pieces (an image layer is hundreds of MB). @param {string} file */
function sha256File(file) {
  const hash = createHash("sha256");
  const buf = Buffer.alloc(1 << 20);
  const fd = openSync(file, "r");
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** The regular files at or under `p`, symlinks not followed: what `find P -type f` lists. @param {string} p @returns {string[]} */
function regularFiles(p) {
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (!st) throw new Error(`${p} does not exist`);
  if (st.isFile()) return [p];
  return st.isDirectory() ? readdirSync(p).flatMap((n) => regularFiles(path.join(p, n))) : [];
}

/** Paths in byte order, as `sort` orders them in the C locale. @param {string[]} paths */
const byteOrder = (paths) => paths.sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

/** The paths of `files` lines ("SOURCE DEST"; see bundle.nix). @param {string} files */
const sources = (files) => files.split("\n").map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);

/** The names in a folder as a shell glob lists them (no dot files), sorted. @param {string} dir */
const globNames = (dir) => readdirSync(dir).filter((n) => !n.startsWith(".")).sort();

/** The image builds of one run: its scratch folder, its options and the store paths it made. */
class Builder {
  /** @param {{ force: boolean, nixVersion: string, work: string }} o */
  constructor(o) {
    this.force = o.force;
    this.nixVersion = o.nixVersion;
    this.work = o.work;
    this.tags = tags(o.nixVersion);
    // Images are labelled with a digest of the scripts that make them: one made by older scripts
    // is made again.
    const recipe = createHash("sha256");
    for (const f of [SELF, path.join(HERE, "bundle.nix"), path.join(HERE, "bundle-builder.sh")]) recipe.update(readFileSync(f));
    this.recipe = recipe.digest("hex").slice(0, 16);
    /** @type {{ nix: string, git: string, cacert: string, conf: string, top: string[], closure: string[] } | undefined} */
    this.paths = undefined;
  }

  /** podman.sh ARGS (its stderr passed on): stdout. @param {string[]} args */
  podman(args) {
    return run("bash", [path.join(HERE, "podman.sh"), ...args]);
  }

  /** @param {string} tag */
  exists(tag) {
    return spawnSync("bash", [path.join(HERE, "podman.sh"), "image", "exists", tag], { stdio: ["ignore", "ignore", "inherit"] }).status === 0;
  }

  /** The image's environment as JSON ("" when it has none). @param {string} tag */
  envOf(tag) {
    const args = [path.join(HERE, "podman.sh"), "image", "inspect", "--format", "{{json .Config.Env}}", tag];
    const r = spawnSync("bash", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return r.status === 0 ? r.stdout.trim() : "";
  }

  /** True when the image `tag` was made by these scripts (its recipe label). @param {string} tag */
  have(tag) {
    const args = [path.join(HERE, "podman.sh"), "image", "inspect", "--format", '{{index .Labels "nra.recipe"}}', tag];
    const r = spawnSync("bash", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return r.status === 0 && r.stdout.trim() === this.recipe;
  }

  /**
   * A bundle.nix store path (rooted in .tools/images/roots/NAME) of `files` and `links` (lines, see
   * bundle.nix); named as nixpkgs names its packages, so the action reads a version from the path.
   * @param {string} name @param {string} files @param {string} links
   */
  bundle(name, files, links) {
    // a digest of the host files, so that other host binaries give another store path
    const listing = createHash("sha256");
    for (const src of sources(files)) for (const f of byteOrder(regularFiles(src))) listing.update(`${sha256File(f)}  ${f}\n`);
    const digest = listing.digest("hex").slice(0, 32);
    const root = path.join(ROOTS, name);
    const args = [path.join(HERE, "bundle.nix"), "--argstr", "name", name, "--argstr", "files", files, "--argstr", "links", links];
    try {
      run("nix-build", [...args, "--argstr", "sources", digest, "-o", root], { stderr: "pipe" });
    } catch (e) {
      throw new Error(`bundle ${name} failed: ${e instanceof Error ? e.message : e}`);
    }
    return realpathSync(root);
  }

  /**
   * A bundle of a Debian package's programs in /bin, /usr/bin, /sbin, /usr/sbin as bin/NAME; a symlink
   * to a program beside it stays a symlink. `files` and `links`: more lines for bundle().
   * @param {string} pkg @param {string} [files] @param {string} [links]
   */
  debBundle(pkg, files = "", links = "") {
    let own = "";
    let ownLinks = "";
    for (const f of runLines("dpkg", ["-L", pkg]).filter((l) => /^\/(usr\/)?s?bin\/[^/]+$/.test(l))) {
      if (!statOf(f)?.isFile()) continue;
      const name = path.basename(f);
      if (lstatSync(f).isSymbolicLink()) {
        const target = readlinkSync(f);
        if (!target.includes("/")) ownLinks += `${target} bin/${name}\n`;
        else if (existsSync(path.join(path.dirname(f), path.basename(target)))) ownLinks += `${path.basename(target)} bin/${name}\n`;
      } else {
        own += `${f} bin/${name}\n`;
      }
    }
    return this.bundle(`${pkg}-${this.debVersion(pkg)}`, own + files, ownLinks + links);
  }

  /** A Debian package's upstream version. @param {string} pkg */
  debVersion(pkg) {
    return upstreamVersion(run("dpkg-query", ["-W", "-f=${Version}", pkg]));
  }

  /** The store paths of the Nix images, made in this machine's store once per run. */
  storePaths() {
    if (this.paths) return this.paths;
    // libnss_dns: Nix loads it before it builds (without it: "unable to load nss_dns backend")
    const nix = this.bundle(
      `nix-${this.nixVersion}`,
      `${onPath("nix")} bin/nix\n${realpathSync("/lib/x86_64-linux-gnu/libnss_dns.so.2")} lib/libnss_dns.so.2`,
      ["../../bin/nix libexec/nix/build-remote", ...NIX_COMMANDS.split(" ").map((n) => `nix bin/${n}`)].join("\n"),
    );
    const node = onPath("node");
    const nodeVersion = run(node, ["--version"]).trim().replace(/^v/, "");
    const nodep = this.bundle(`nodejs-${nodeVersion}`, `${node} bin/node`, "");
    const bash = this.debBundle("bash", "", "bash bin/sh"); // as nixpkgs' bash has it; /bin/sh runs builders
    const git = this.debBundle("git", "/usr/lib/git-core libexec/git-core\n/usr/share/git-core/templates share/git-core/templates");
    const cacert = this.bundle(`nss-cacert-${this.debVersion("ca-certificates")}`, "/etc/ssl/certs/ca-certificates.crt etc/ssl/certs/ca-bundle.crt", "");
    // the image's own nix.conf, as a dockerTools image has it: a file in the store
    const confFile = path.join(this.work, "nix.conf");
    writeFileSync(confFile, `${IMAGE_NIX_CONF}\n`);
    const conf = run("nix-store", ["--add", confFile]).trim();
    run("nix-store", ["-r", "--add-root", path.join(ROOTS, "nix.conf"), "--indirect", conf]);
    const top = [nix, nodep, bash, git, cacert, conf, ...PLAIN_PACKAGES.map((p) => this.debBundle(p))];
    const closure = runLines("nix-store", ["-qR", ...top]);
    this.paths = { nix, git, cacert, conf, top, closure };
    return this.paths;
  }

  /** The file system of a Nix image in `r`: with its store and the store's database only `withStore`. @param {string} r @param {boolean} withStore */
  rootFs(r, withStore) {
    const p = this.storePaths();
    for (const d of ["bin", "usr/bin", "etc/nix", "etc/ssl/certs", "tmp", "root", "nix/var/nix", "var/tmp", "run"]) mkdirSync(path.join(r, d), { recursive: true });
    chmodSync(path.join(r, "tmp"), 0o1777);
    chmodSync(path.join(r, "var/tmp"), 0o1777);
    chmodSync(path.join(r, "root"), 0o700);
    // /bin: a symlink per program of every top-level store path, as buildEnv's pathsToLink = [ "/bin" ]
    for (const top of p.top) {
      if (!statOf(path.join(top, "bin"))?.isDirectory()) continue;
      for (const n of globNames(path.join(top, "bin"))) {
        rmSync(path.join(r, "bin", n), { force: true });
        symlinkSync(path.join(top, "bin", n), path.join(r, "bin", n));
      }
    }
    symlinkSync(readlinkSync(path.join(r, "bin/env")), path.join(r, "usr/bin/env"));
    symlinkSync(p.conf, path.join(r, "etc/nix/nix.conf"));
    symlinkSync(path.join(p.cacert, "etc/ssl/certs/ca-bundle.crt"), path.join(r, "etc/ssl/certs/ca-bundle.crt"));
    symlinkSync("ca-bundle.crt", path.join(r, "etc/ssl/certs/ca-certificates.crt"));
    writeFileSync(path.join(r, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/var/empty:/bin/false\n");
    writeFileSync(path.join(r, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    writeFileSync(path.join(r, "etc/nsswitch.conf"), "hosts: files dns\npasswd: files\ngroup: files\n");
    if (!withStore) return;
    mkdirSync(path.join(r, "nix/store"));
    run("cp", ["-a", "-t", path.join(r, "nix/store"), ...p.closure]);
    // the store database, as dockerTools makes it: the closure's registration loaded into a db at
    // the image's /nix/var/nix/db
    const reginfo = run("nix-store", ["--dump-db", ...p.closure]);
    run("nix-store", ["--load-db"], { input: reginfo, env: { ...process.env, NIX_REMOTE: `local?root=${r}` } });
    for (const f of ["temproots", "gc.lock"]) rmSync(path.join(r, "nix/var/nix", f), { recursive: true, force: true });
  }

  /**
   * `podman load` of a docker-archive holding `r` as its one layer, the format dockerTools.buildImage
   * writes. @param {string} r @param {string} tag @param {string[]} env
   */
  load(r, tag, env) {
    const a = path.join(this.work, "archive");
    const image = path.join(this.work, "image.tar");
    rmSync(a, { recursive: true, force: true });
    mkdirSync(path.join(a, "layer"), { recursive: true });
    run("tar", ["-C", r, "--numeric-owner", "--owner=0", "--group=0", "-cf", path.join(a, "layer/layer.tar"), "."]);
    const config = imageConfig(env, this.recipe, sha256File(path.join(a, "layer/layer.tar")));
    const name = `${createHash("sha256").update(config).digest("hex")}.json`;
    writeFileSync(path.join(a, name), config);
    writeFileSync(path.join(a, "manifest.json"), JSON.stringify([{ Config: name, RepoTags: [tag], Layers: ["layer/layer.tar"] }]));
    run("tar", ["-C", a, "-cf", image, "."]);
    if (this.exists(tag)) this.podman(["rmi", "-f", tag]);
    this.podman(["load", "-q", "-i", image]);
    rmSync(a, { recursive: true, force: true });
    rmSync(image, { force: true });
  }

  nix() {
    const t0 = Date.now();
    const tag = this.tags.nix;
    if (!this.force && this.have(tag)) return `${tag} kept`;
    const r = path.join(this.work, "nix-root");
    this.rootFs(r, true);
    this.load(r, tag, imageEnv(this.storePaths()));
    run("chmod", ["-R", "u+w", r]);
    rmSync(r, { recursive: true, force: true });
    return `${tag} built in ${seconds(t0)} s`;
  }

  /** @param {string} tag @param {string} [nixRemote] */
  shared(tag, nixRemote) {
    const t0 = Date.now();
    // the image holds no store: kept only when it names the store paths just made in this store (the
    // same recipe with another nix binary, e.g. .tools/ moved, makes other paths)
    const env = imageEnv(this.storePaths(), nixRemote);
    if (!this.force && this.have(tag) && this.envOf(tag) === JSON.stringify(env)) return `${tag} kept (its store paths are in this store)`;
    const r = path.join(this.work, "shared-root");
    this.rootFs(r, false);
    this.load(r, tag, env);
    rmSync(r, { recursive: true, force: true });
    return `${tag} built in ${seconds(t0)} s`;
  }

  debian() {
    const t0 = Date.now();
    const tag = this.tags.debian;
    if (!this.force && this.have(tag)) return `${tag} kept`;
    // debootstrap's root is kept as a tarball (about 40 s and Debian's archive to make again)
    const base = path.join(IMAGES, "debian-bookworm-minbase.tar");
    const r = path.join(this.work, "debian-root");
    if (this.force || !(statOf(base)?.size ?? 0)) this.debootstrap(r, base);
    mkdirSync(r, { recursive: true });
    run("tar", ["-C", r, "--numeric-owner", "-xf", base]);
    const node = path.join(r, "usr/local/bin/node");
    copyFileSync(onPath("node"), node);
    chmodSync(node, 0o755);
    run("chroot", [r, "/usr/local/bin/node", "--version"]);
    const archive = path.join(this.work, "debian.tar");
    run("tar", ["-C", r, "--numeric-owner", "-cf", archive, "."]);
    if (this.exists(tag)) this.podman(["rmi", "-f", tag]);
    const changes = ['CMD ["/bin/bash"]', `LABEL nra.recipe=${this.recipe}`, "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];
    this.podman(["import", "-q", ...changes.flatMap((c) => ["--change", c]), archive, tag]);
    rmSync(r, { recursive: true, force: true });
    rmSync(archive, { force: true });
    return `${tag} built in ${seconds(t0)} s`;
  }

  /** `debootstrap --variant=minbase bookworm` into `r`, kept as the tarball `base`. @param {string} r @param {string} base */
  debootstrap(r, base) {
    if (!which("debootstrap")) {
      const apt = ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends", "debootstrap"];
      run("apt-get", apt, { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    }
    const mirror = debianMirror();
    const log = path.join(this.work, "debootstrap.log");
    const fd = openSync(log, "w");
    const r1 = spawnSync("debootstrap", ["--variant=minbase", "bookworm", r, mirror], { stdio: ["ignore", fd, fd] });
    closeSync(fd);
    if (r1.status !== 0) {
      const tail = readFileSync(log, "utf8").trimEnd().split("\n").slice(-20).join("\n");
      throw new Error(`debootstrap failed${r1.error ? ` (${r1.error.message})` : ""}:\n${tail}`);
    }
    const archives = path.join(r, "var/cache/apt/archives");
    for (const n of globNames(archives).filter((n) => n.endsWith(".deb"))) rmSync(path.join(archives, n));
    const lists = path.join(r, "var/lib/apt/lists");
    for (const n of globNames(lists)) rmSync(path.join(lists, n), { recursive: true, force: true });
    run("tar", ["-C", r, "--numeric-owner", "-cf", `${base}.partial`, "."]);
    renameSync(`${base}.partial`, base);
    rmSync(r, { recursive: true, force: true });
  }
}

/** Whole seconds since `t0` (ms). @param {number} t0 */
const seconds = (t0) => Math.round((Date.now() - t0) / 1000);

/** The program (see the top of this file). @param {string[]} argv */
function main(argv) {
  const force = argv[0] === "--force";
  const what = force ? argv.slice(1) : argv;
  if (what.length === 0) what.push("all");
  if (!what.every((w) => WHAT.includes(w))) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  process.env.NIX_CONFIG = `${process.env.NIX_CONFIG ?? ""}\n${HOST_NIX_CONFIG}`;
  mkdirSync(ROOTS, { recursive: true });
  const b = new Builder({ force, nixVersion: nixVersionOf(run("nix", ["--version"])), work: scratchDir("nra-images.") });
  /** @type {Record<string, () => string>} */
  const builds = {
    nix: () => b.nix(),
    shared: () => b.shared(b.tags.shared, "daemon"),
    "shared-noremote": () => b.shared(b.tags.noremote),
    debian: () => b.debian(),
  };
  // a line as soon as its image is there: the callers' logs show the progress
  for (const w of what.flatMap((w) => (w === "all" ? Object.keys(builds) : [w]))) console.log(builds[w]());
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) runMain("build-images", () => main(process.argv.slice(2)));
