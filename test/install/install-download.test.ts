import * as tc from "@actions/tool-cache";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ActionError } from "../../src/errors.js";
import { fetchInstaller, type FetchRequest } from "../../src/install/installer-download.js";
import { serve, type Served } from "../../scripts/lib/http-server.mjs";
import { STAND_IN_INSTALLER } from "../../scripts/lib/stand-in-installer.mjs";
import { serveCacheService } from "../helpers/cache-service.js";

const BODY = STAND_IN_INSTALLER;
const SHA = createHash("sha256").update(BODY).digest("hex");
const PATH = "/mirror/nix-installer-x86_64-linux";

let server: Served;
let dir: string;
let saved: NodeJS.ProcessEnv;
let out: string;

beforeAll(async () => {
  server = await serve({ [PATH]: BODY });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  saved = { ...process.env };
  dir = mkdtempSync(path.join(os.tmpdir(), "nra-dl-"));
  // @actions/tool-cache reads these from the process environment.
  process.env.RUNNER_TOOL_CACHE = path.join(dir, "toolcache");
  process.env.RUNNER_TEMP = path.join(dir, "temp");
  delete process.env.ACTIONS_CACHE_URL;
  delete process.env.ACTIONS_RESULTS_URL;
  server.requests.length = 0;
  out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

function request(over: Partial<FetchRequest> = {}): FetchRequest {
  return {
    installer: "nixos",
    system: "x86_64-linux",
    url: `${server.origin}${PATH}`,
    sha256: "",
    workDir: path.join(dir, "work"),
    tmpDir: path.join(dir, "tmp"),
    env: process.env,
    ...over,
  };
}

describe("fetchInstaller (stand-in installer served locally)", () => {
  it("downloads from the mirror URL, checks a good pin, and a second run reuses the tool cache without a request", async () => {
    const first = await fetchInstaller(request({ sha256: SHA }));
    expect(first.source).toBe("download");
    expect(first.sha256).toBe(SHA);
    expect(readFileSync(first.path, "utf8")).toBe(BODY);
    expect(statSync(first.path).mode & 0o111).not.toBe(0);
    expect(first.path.startsWith(path.join(dir, "toolcache", "nix-installer-nixos"))).toBe(true);
    expect(server.requests).toEqual([PATH]);

    const second = await fetchInstaller(request({ sha256: SHA, workDir: path.join(dir, "work2") }));
    expect(second.source).toBe("tool-cache");
    expect(second.path).toBe(first.path);
    expect(server.requests).toEqual([PATH]);
  });

  it("refuses a binary whose sha256 does not match the pin, names both hashes, and caches nothing", async () => {
    const wrong = "f".repeat(64);
    const err = await fetchInstaller(request({ sha256: wrong })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toContain(SHA);
    expect((err as Error).message).toContain(wrong);
    expect((err as Error).message).toMatch(/installer-sha256.*refusing/);
    expect(tc.findAllVersions("nix-installer-nixos", "x86_64-linux")).toEqual([]);
  });

  it("an unpinned URL is cached per URL and day: same day reuses, next day downloads again", async () => {
    const day1 = new Date("2026-11-22T06:00:00Z");
    await fetchInstaller(request({ now: day1 }));
    await fetchInstaller(request({ now: day1 }));
    expect(server.requests).toEqual([PATH]);
    await fetchInstaller(request({ now: new Date("2026-11-23T06:00:00Z") }));
    expect(server.requests).toEqual([PATH, PATH]);
  });

  it("a mirror that does not have the file: a clear error naming the URL and the HTTP status", async () => {
    const url = `${server.origin}/missing/nix-installer`;
    const err = await fetchInstaller(request({ url })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).toContain("HTTP 404");
    expect((err as Error).message).toContain("installer-url");
  });

  it("a file:// mirror (a vendored binary) works, pinned", async () => {
    const vendored = path.join(dir, "vendored-installer");
    writeFileSync(vendored, BODY);
    const got = await fetchInstaller(request({ url: pathToFileURL(vendored).toString(), sha256: SHA }));
    expect(got.source).toBe("download");
    expect(readFileSync(got.path, "utf8")).toBe(BODY);
    expect(server.requests).toEqual([]);
  });

  it("without a runner tool cache it still works, keeping the binary in the job's folder", async () => {
    delete process.env.RUNNER_TOOL_CACHE;
    const got = await fetchInstaller(request({ sha256: SHA }));
    expect(got.path).toBe(path.join(dir, "work", "installer", "nix-installer"));
    expect(readFileSync(got.path, "utf8")).toBe(BODY);
  });

  it("a tool cache that cannot be written is a warning: the job's own copy is used", async () => {
    const notADir = path.join(dir, "toolcache-is-a-file");
    writeFileSync(notADir, "");
    process.env.RUNNER_TOOL_CACHE = notADir;
    const got = await fetchInstaller(request({ sha256: SHA }));
    expect(got.path).toBe(path.join(dir, "work", "installer", "nix-installer"));
    expect(readFileSync(got.path, "utf8")).toBe(BODY);
  });

  it("a configured but failing cache service is a warning, not an error: the installer is downloaded", async () => {
    process.env.ACTIONS_CACHE_URL = `${server.origin}/no-cache-service/`;
    process.env.ACTIONS_RUNTIME_TOKEN = "test-token";
    const got = await fetchInstaller(request({ sha256: SHA }));
    expect(got.source).toBe("download");
    expect(server.requests).toContain(PATH);
    expect(server.requests.some((p) => p.startsWith("/no-cache-service/"))).toBe(true);
  });

  it("ephemeral runners share the installer through the Actions cache, though each job has its own RUNNER_TEMP: the second job restores, not downloads (cache service stand-in served locally)", async () => {
    const service = await serveCacheService();
    try {
      process.env.ACTIONS_CACHE_URL = service.url;
      process.env.ACTIONS_RUNTIME_TOKEN = "test-token";
      // act and Gitea's/Forgejo's runners in host mode give every job a new RUNNER_TEMP (…/act/<random>/tmp).
      process.env.RUNNER_TEMP = path.join(dir, "act", "eed9b2a0c73a917f", "tmp");
      const first = await fetchInstaller(request({ sha256: SHA, workDir: path.join(process.env.RUNNER_TEMP, "nix-runner-action") }));
      expect(first.source).toBe("download");
      expect(out).not.toMatch(/::warning::/);
      expect(service.saved).toEqual([`nix-runner-action-nix-installer-nixos-x86_64-linux-0.0.0-sha256-${SHA}`]);
      // The shared folder only carried the binary to the cache; nothing is left in the machine's temp.
      expect(readdirSync(path.join(dir, "tmp", `nix-runner-action-installer-cache-${process.getuid?.()}`))).toEqual([]);

      // The next job: a new machine (empty tool cache) and a different RUNNER_TEMP.
      process.env.RUNNER_TOOL_CACHE = path.join(dir, "toolcache-2");
      process.env.RUNNER_TEMP = path.join(dir, "act", "3ca3ab27e543dc7b", "tmp");
      const second = await fetchInstaller(request({ sha256: SHA, workDir: path.join(process.env.RUNNER_TEMP, "nix-runner-action") }));
      expect(second.source).toBe("actions-cache");
      expect(readFileSync(second.path, "utf8")).toBe(BODY);
      expect(statSync(second.path).mode & 0o111).not.toBe(0);
      expect(second.path.startsWith(path.join(dir, "toolcache-2"))).toBe(true);
      expect(server.requests).toEqual([PATH]);
      expect(service.saved).toHaveLength(1);
    } finally {
      await service.stop();
    }
  });

  it("an entry saved from a workspace at another depth unpacks elsewhere (@actions/cache keeps paths relative to GITHUB_WORKSPACE): a warning and a download, not a crash (cache service stand-in)", async () => {
    const service = await serveCacheService();
    try {
      process.env.ACTIONS_CACHE_URL = service.url;
      process.env.ACTIONS_RUNTIME_TOKEN = "test-token";
      process.env.GITHUB_WORKSPACE = path.join(dir, "ws1");
      mkdirSync(process.env.GITHUB_WORKSPACE);
      expect((await fetchInstaller(request({ sha256: SHA }))).source).toBe("download");
      expect(service.saved).toHaveLength(1);
      process.env.RUNNER_TOOL_CACHE = path.join(dir, "toolcache-2");
      process.env.GITHUB_WORKSPACE = path.join(dir, "deeper", "ws2");
      mkdirSync(process.env.GITHUB_WORKSPACE, { recursive: true });
      const second = await fetchInstaller(request({ sha256: SHA, workDir: path.join(dir, "work2") }));
      expect(second.source).toBe("download");
      expect(readFileSync(second.path, "utf8")).toBe(BODY);
      expect(server.requests).toEqual([PATH, PATH]);
      expect(out).toMatch(/::warning::The Actions cache entry nix-runner-action-nix-installer-nixos-x86_64-linux-\S+ was restored, but not to /);
    } finally {
      await service.stop();
    }
  });

  it.each<[string, (d: string) => void]>([
    ["writable by other users", (d) => chmodSync(d, 0o777)],
    // only root can give a folder away: the unit tier as another user leaves this one out
    ...(process.getuid?.() === 0 ? [["owned by another user", (d: string) => chownSync(d, 65534, 65534)] as [string, (d: string) => void]] : []),
  ])("a shared cache folder %s is not trusted (its binary would run as root): a warning, no Actions cache, a download (cache service stand-in)", async (_, spoil) => {
    const service = await serveCacheService();
    try {
      process.env.ACTIONS_CACHE_URL = service.url;
      process.env.ACTIONS_RUNTIME_TOKEN = "test-token";
      const shared = path.join(dir, "tmp", `nix-runner-action-installer-cache-${process.getuid?.()}`);
      mkdirSync(shared, { recursive: true, mode: 0o700 });
      spoil(shared);
      const got = await fetchInstaller(request({ sha256: SHA }));
      expect(got.source).toBe("download");
      expect(service.lookups).toEqual([]);
      expect(service.saved).toEqual([]);
      expect(out).toMatch(new RegExp(`::warning::Not using the Actions cache for the installer: ${shared} (can be written by other users|belongs to uid 65534)`));
    } finally {
      await service.stop();
    }
  });
});
