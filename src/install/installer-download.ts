import * as cache from "@actions/cache";
import * as io from "../step-io.js";
import * as tc from "@actions/tool-cache";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { chmod, copyFile, lstat, mkdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installerCacheVersion, type InstallerKind } from "./installer-command.js";
import { ActionError } from "../errors.js";

/** A download problem the user can act on (bad pin, unreachable mirror). */

export interface FetchRequest {
  installer: InstallerKind;
  system: string;
  url: string;
  /** Expected sha256 (hex, lower case); "" for none. */
  sha256: string;
  /** A folder of this job's own: the downloaded or restored binary is kept (and run) from here. */
  workDir: string;
  /** The machine's temp folder, where the Actions cache's fixed path lives; os.tmpdir() unless a test sets it. */
  tmpDir?: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

export interface FetchedInstaller {
  path: string;
  sha256: string;
  /** Where it came from: the tool cache, the Actions cache, or the URL. */
  source: "tool-cache" | "actions-cache" | "download";
}

const FILE = "nix-installer";

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function verify(actual: string, req: FetchRequest, from: string): void {
  if (req.sha256 && actual !== req.sha256) {
    throw new ActionError(
      `installer-sha256: the installer from ${from} has sha256 ${actual}, but installer-sha256 is ${req.sha256}; ` +
        `refusing to run it. Check that the mirror serves the release you pinned, or update the pin`,
    );
  }
}

/** The Actions cache is worth asking only where a cache service is configured; elsewhere it is skipped quietly. */
export function cacheServiceConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
}

async function download(url: string, dest: string): Promise<void> {
  // An earlier run in this job may have left a copy (tool-cache refuses to overwrite one).
  await rm(dest, { force: true });
  if (url.startsWith("file:")) {
    await copyFile(fileURLToPath(url), dest);
    return;
  }
  try {
    await tc.downloadTool(url, dest);
  } catch (e) {
    const status = e instanceof tc.HTTPError ? ` (HTTP ${e.httpStatusCode ?? "error"})` : "";
    throw new ActionError(
      `could not download the installer from ${url}${status}: ${(e as Error).message}. ` +
        `Runners without internet access need installer-url pointing to a mirror they can reach`,
    );
  }
}

/**
 * The folder the Actions cache saves and restores the installer from. @actions/cache makes the paths
 * part of the cache version, so a restore finds only what was saved from the same path: a folder under
 * RUNNER_TEMP never matches on runners that make a new RUNNER_TEMP per job (act, and Gitea's and
 * Forgejo's runners in host mode). This one is the same in every job of a user, and one per user,
 * since its content runs as root and must not be writable by anyone else.
 */
export function actionsCacheDir(tmpDir: string, uid: number, tool: string, system: string, version: string): string {
  return path.join(tmpDir, `nix-runner-action-installer-cache-${uid}`, `${tool}-${system}-${version}`);
}

/** Why `dir` (created if missing) is not safe to keep a binary that runs as root in; undefined when it is. */
async function notPrivate(dir: string): Promise<string | undefined> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await lstat(dir);
    const uid = process.getuid?.() ?? 0;
    if (!st.isDirectory()) return `${dir} is not a directory`;
    if (st.uid !== uid) return `${dir} belongs to uid ${st.uid}, not to this job's uid ${uid}`;
    if (st.mode & 0o022) return `${dir} can be written by other users (mode ${(st.mode & 0o777).toString(8)})`;
    return undefined;
  } catch (e) {
    return `${dir} cannot be created (${(e as Error).message})`;
  }
}

/**
 * Puts the Actions cache's copy into this job's folder. False when there is none: a miss, a cache
 * service that fails (a warning), or an entry saved from a workspace elsewhere, whose relative paths
 * @actions/cache unpacked somewhere else.
 */
async function restoreFromActionsCache(shared: string, key: string, dest: string): Promise<boolean> {
  const file = path.join(shared, FILE);
  try {
    await rm(file, { force: true });
    if (!(await cache.restoreCache([shared], key))) return false;
    if (!existsSync(file)) {
      io.warning(`The Actions cache entry ${key} was restored, but not to ${file}; downloading the installer instead`);
      return false;
    }
    await copyFile(file, dest);
    return true;
  } catch (e) {
    io.warning(`The Actions cache could not be read (${(e as Error).message}); downloading the installer instead`);
    return false;
  }
}

async function saveToActionsCache(shared: string, key: string, from: string): Promise<void> {
  const file = path.join(shared, FILE);
  // Another job of this user may be restoring into the same folder: never show it a half-written file.
  const part = `${file}.${process.pid}.part`;
  try {
    await copyFile(from, part);
    await rename(part, file);
    await cache.saveCache([shared], key);
  } catch (e) {
    io.warning(`The installer could not be saved to the Actions cache (${(e as Error).message}); the next run downloads it again`);
  } finally {
    await rm(part, { force: true });
  }
}

/**
 * The installer binary, from the cheapest place that has it: the runner's tool cache (persistent
 * runners download once), the Actions cache (ephemeral runners with a cache service), else the URL.
 * Whatever the source, the binary that runs is this job's own copy (or the tool cache's), and the pin
 * is checked on it before the path is returned.
 */
export async function fetchInstaller(req: FetchRequest): Promise<FetchedInstaller> {
  const env = req.env ?? process.env;
  const tool = toolOf(req);
  const toolCache = Boolean(env.RUNNER_TOOL_CACHE);
  const cached = toolCache ? await fromToolCache(tool, req) : undefined;
  if (cached) return cached;
  const own = path.join(req.workDir, "installer", FILE);
  await mkdir(path.dirname(own), { recursive: true });
  const cacheKey = `nix-runner-action-${tool.name}-${req.system}-${tool.version}`;
  const shared = await sharedFolder(tool, req, env);
  try {
    const source: FetchedInstaller["source"] = shared && (await restoreFromActionsCache(shared, cacheKey, own)) ? "actions-cache" : "download";
    if (source === "actions-cache") {
      io.info(`Restored the installer from the Actions cache (${cacheKey})`);
    } else {
      io.info(`Downloading the installer from ${req.url}`);
      await download(req.url, own);
    }
    const sum = await verifiedSum(own, req, source === "download" ? req.url : `the Actions cache (${cacheKey})`);
    io.info(`installer sha256: ${sum}${req.sha256 ? " (matches installer-sha256)" : ""}`);
    await chmod(own, 0o755);
    if (shared && source === "download") await saveToActionsCache(shared, cacheKey, own);
    return { path: toolCache ? await keepInToolCache(own, tool, req.system, env) : own, sha256: sum, source };
  } finally {
    // The shared folder only carries the binary to and from the Actions cache; this job runs its own copy.
    if (shared) await rm(shared, { recursive: true, force: true });
  }
}

/** The installer as the caches name it: a new version for a new pin, URL or day. */
interface Tool {
  name: string;
  version: string;
}

function toolOf(req: FetchRequest): Tool {
  const day = (req.now ?? new Date()).toISOString().slice(0, 10).replace(/-/g, "");
  return { name: `nix-installer-${req.installer}`, version: installerCacheVersion(req.sha256, createHash("sha256").update(req.url).digest("hex"), day) };
}

/** The runner's tool cache's copy, checked against the pin, if it has one. */
async function fromToolCache(tool: Tool, req: FetchRequest): Promise<FetchedInstaller | undefined> {
  const dir = tc.find(tool.name, tool.version, req.system);
  if (!dir) return undefined;
  const file = path.join(dir, FILE);
  const sum = await sha256File(file);
  verify(sum, req, `the tool cache (${file})`);
  io.info(`Using the installer from the runner's tool cache: ${file}`);
  return { path: file, sha256: sum, source: "tool-cache" };
}

/** The folder the Actions cache saves from and restores to, when there is a cache service and the folder is safe. */
async function sharedFolder(tool: Tool, req: FetchRequest, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!cacheServiceConfigured(env)) {
    io.info("No cache service configured (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL unset): not using the Actions cache");
    return undefined;
  }
  const dir = actionsCacheDir(req.tmpDir ?? os.tmpdir(), process.getuid?.() ?? 0, tool.name, req.system, tool.version);
  const unsafe = await notPrivate(path.dirname(dir));
  if (unsafe) {
    io.warning(`Not using the Actions cache for the installer: ${unsafe}. Remove it, or set TMPDIR to a folder of this user's own`);
    return undefined;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** `file`'s sha256, checked against the pin; a file that fails the check is removed. `from`: where it came from, for the error. */
async function verifiedSum(file: string, req: FetchRequest, from: string): Promise<string> {
  const sum = await sha256File(file);
  try {
    verify(sum, req, from);
  } catch (e) {
    await rm(file, { force: true });
    throw e;
  }
  return sum;
}

/** The tool cache's copy of `own`, or `own` itself when the tool cache cannot take it. */
async function keepInToolCache(own: string, tool: Tool, system: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const dir = await tc.cacheFile(own, FILE, tool.name, tool.version, system);
    const file = path.join(dir, FILE);
    await chmod(file, 0o755);
    return file;
  } catch (e) {
    // A tool cache this user cannot write (a root-owned folder under a non-root job) costs a download next time, nothing more.
    io.warning(`The installer could not be kept in the runner's tool cache ${env.RUNNER_TOOL_CACHE} (${(e as Error).message}); using this job's copy`);
    return own;
  }
}
