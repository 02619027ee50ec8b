import * as cache from "@actions/cache";
import * as core from "@actions/core";
import * as tc from "@actions/tool-cache";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, copyFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installerCacheVersion, type InstallerKind } from "./installer-command.js";

/** A download problem the user can act on (bad pin, unreachable mirror). */
export class DownloadError extends Error {}

export interface FetchRequest {
  installer: InstallerKind;
  system: string;
  url: string;
  /** Expected sha256 (hex, lower case); "" for none. */
  sha256: string;
  /** A folder of this job's own, for the download and the Actions-cache copy. */
  workDir: string;
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
    throw new DownloadError(
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
    throw new DownloadError(
      `could not download the installer from ${url}${status}: ${(e as Error).message}. ` +
        `Runners without internet access need installer-url pointing to a mirror they can reach`,
    );
  }
}

/**
 * The installer binary, from the cheapest place that has it: the runner's tool cache (persistent
 * runners download once), the Actions cache (ephemeral runners with a cache service), else the URL.
 * Whatever the source, the pin is checked before the path is returned.
 */
export async function fetchInstaller(req: FetchRequest): Promise<FetchedInstaller> {
  const env = req.env ?? process.env;
  const tool = `nix-installer-${req.installer}`;
  const day = (req.now ?? new Date()).toISOString().slice(0, 10).replace(/-/g, "");
  const version = installerCacheVersion(req.sha256, createHash("sha256").update(req.url).digest("hex"), day);
  const toolCache = Boolean(env.RUNNER_TOOL_CACHE);

  if (toolCache) {
    const dir = tc.find(tool, version, req.system);
    if (dir) {
      const file = path.join(dir, FILE);
      const sum = await sha256File(file);
      verify(sum, req, `the tool cache (${file})`);
      core.info(`Using the installer from the runner's tool cache: ${file}`);
      return { path: file, sha256: sum, source: "tool-cache" };
    }
  }

  const cacheDir = path.join(req.workDir, "installer-cache");
  const cached = path.join(cacheDir, FILE);
  const cacheKey = `nix-runner-action-${tool}-${req.system}-${version}`;
  const useCache = cacheServiceConfigured(env);
  let source: FetchedInstaller["source"] = "download";
  await mkdir(cacheDir, { recursive: true });

  if (useCache) {
    try {
      const hit = await cache.restoreCache([cacheDir], cacheKey);
      if (hit) source = "actions-cache";
    } catch (e) {
      core.warning(`The Actions cache could not be read (${(e as Error).message}); downloading the installer instead`);
    }
  } else {
    core.info("No cache service configured (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL unset): not using the Actions cache");
  }

  if (source === "download") {
    core.info(`Downloading the installer from ${req.url}`);
    await download(req.url, cached);
  } else {
    core.info(`Restored the installer from the Actions cache (${cacheKey})`);
  }
  const sum = await sha256File(cached);
  try {
    verify(sum, req, source === "download" ? req.url : `the Actions cache (${cacheKey})`);
  } catch (e) {
    await rm(cached, { force: true });
    throw e;
  }
  core.info(`installer sha256: ${sum}${req.sha256 ? " (matches installer-sha256)" : ""}`);
  await chmod(cached, 0o755);

  if (useCache && source === "download") {
    try {
      await cache.saveCache([cacheDir], cacheKey);
    } catch (e) {
      core.warning(`The installer could not be saved to the Actions cache (${(e as Error).message}); the next run downloads it again`);
    }
  }

  if (!toolCache) return { path: cached, sha256: sum, source };
  try {
    const dir = await tc.cacheFile(cached, FILE, tool, version, req.system);
    const file = path.join(dir, FILE);
    await chmod(file, 0o755);
    return { path: file, sha256: sum, source };
  } catch (e) {
    // A tool cache this user cannot write (a root-owned folder under a non-root job) costs a download next time, nothing more.
    core.warning(`The installer could not be kept in the runner's tool cache ${env.RUNNER_TOOL_CACHE} (${(e as Error).message}); using this job's copy`);
    return { path: cached, sha256: sum, source };
  }
}
