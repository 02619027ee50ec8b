#!/usr/bin/env node
// Builds the Gitea server the forge suite runs (test/forge/) into .tools/gitea-server/gitea, unless
// it is already there. The source comes from the Go module proxy through `go` itself: `go install`
// refuses Gitea (its go.mod has `replace` lines), so the module is downloaded, copied to a writable
// folder (the module cache is read-only) and built there. CGO_ENABLED=0: without the
// `sqlite_mattn` tag Gitea's SQLite driver is the pure-Go one (modernc.org/sqlite), so no C
// toolchain is needed. Without the `bindata` tag (which needs the frontend build and `go generate`)
// Gitea reads its templates, locales and other options from STATIC_ROOT_PATH at run time: the
// module's templates/ and options/ are copied beside the binary, which the forge suite's app.ini
// names as STATIC_ROOT_PATH. The web UI's frontend assets (JavaScript, CSS) are not built: the
// suite uses the API, git over HTTP, Actions, the package registry and one web form (a run's
// cancel), none of which needs them.
// Prints the binary's path on success; exits 1 with the reason (and the log's path) otherwise.
//   node scripts/install-gitea.mjs [--print-version]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findGo } from "./lib/go.mjs";

export const GITEA_VERSION = "1.27.3";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const giteaBinary = path.join(root, ".tools", "gitea-server", "gitea");

/** Runs a command, appending its output to the log; throws with the log's last line on failure. */
function run(/** @type {string} */ cmd, /** @type {string[]} */ args, /** @type {{cwd?: string, env?: NodeJS.ProcessEnv, log: string}} */ o) {
  fs.appendFileSync(o.log, `$ ${cmd} ${args.join(" ")}\n`);
  const r = spawnSync(cmd, args, { cwd: o.cwd, env: o.env ?? process.env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  fs.appendFileSync(o.log, (r.stdout ?? "") + (r.stderr ?? ""));
  if (r.status !== 0) {
    const last = `${r.stderr ?? ""}${r.error?.message ?? ""}`.trim().split("\n").pop();
    throw new Error(`${cmd} ${args[0]} exited ${r.status}: ${last} (full log: ${o.log})`);
  }
  return r.stdout;
}

/** The run-time folders Gitea reads from STATIC_ROOT_PATH when built without `bindata`. */
export const GITEA_ASSET_DIRS = ["templates", "options", "public"];
/** The folder to give Gitea as STATIC_ROOT_PATH. */
export const giteaStaticRoot = path.dirname(giteaBinary);

const installed = () => fs.existsSync(giteaBinary) && GITEA_ASSET_DIRS.every((d) => fs.existsSync(path.join(giteaStaticRoot, d)));

/** @returns {string} the binary's path */
export function installGitea() {
  if (installed()) return giteaBinary;
  const { go, env } = findGo("Gitea is built from its Go module");
  const dir = path.dirname(giteaBinary);
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "build.log");
  fs.writeFileSync(log, "");
  const spec = `code.gitea.io/gitea@v${GITEA_VERSION}`;
  // `go mod download` needs a module context only for its own go.mod lookups; the tools folder
  // (no go.mod) is a neutral place to run it from.
  const info = JSON.parse(run(go, ["mod", "download", "-json", spec], { cwd: dir, env, log }));
  if (!info.Dir) throw new Error(`go mod download ${spec} gave no source folder: ${info.Error ?? "no error text"} (full log: ${log})`);
  for (const d of GITEA_ASSET_DIRS) {
    const dest = path.join(giteaStaticRoot, d);
    if (fs.existsSync(dest)) continue;
    fs.rmSync(`${dest}.partial`, { recursive: true, force: true });
    fs.cpSync(path.join(info.Dir, d), `${dest}.partial`, { recursive: true });
    run("chmod", ["-R", "u+w", `${dest}.partial`], { log });
    fs.renameSync(`${dest}.partial`, dest);
  }
  if (fs.existsSync(giteaBinary)) return giteaBinary;
  const src = fs.mkdtempSync(path.join(os.tmpdir(), "gitea-src-"));
  try {
    fs.cpSync(info.Dir, src, { recursive: true });
    run("chmod", ["-R", "u+w", src], { log });
    const partial = `${giteaBinary}.partial`;
    const ldflags = `-s -w -X "main.Version=${GITEA_VERSION}"`;
    run(go, ["build", "-trimpath", "-ldflags", ldflags, "-o", partial, "."], {
      cwd: src,
      env: { ...env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" },
      log,
    });
    // Renamed into place only once built, so an interrupted build is never mistaken for a binary.
    fs.renameSync(partial, giteaBinary);
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
  return giteaBinary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(installGitea());
  } catch (e) {
    console.error(`gitea unavailable: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
