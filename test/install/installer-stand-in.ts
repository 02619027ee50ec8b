// Local stand-ins for the install tests: a file server on 127.0.0.1 (for the stand-in installer,
// scripts/lib/stand-in-installer.sh), a `sudo`, and the runner's cache service.
import { createServer, type Server } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Served {
  origin: string;
  /** Paths requested so far, in order. */
  requests: string[];
  stop: () => Promise<void>;
}

/** Serves `files` (path → body) on 127.0.0.1, on a free port in 18300–18399; anything else is a 404. */
export async function serve(files: Record<string, string | Buffer>): Promise<Served> {
  const requests: string[] = [];
  const ports = Array.from({ length: 100 }, (_, i) => 18300 + i).sort(() => Math.random() - 0.5);
  for (const port of ports) {
    const server: Server = createServer((req, res) => {
      const p = new URL(req.url ?? "/", "http://x").pathname;
      requests.push(p);
      const body = files[p];
      if (body === undefined) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(body) }).end(body);
    });
    const ok = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (!ok) continue;
    return {
      origin: `http://127.0.0.1:${port}`,
      requests,
      stop: () => new Promise((r) => server.close(() => r())),
    };
  }
  throw new Error("no free port in 18300-18399");
}

/**
 * A `sudo` for this machine, which has none: it records its argv and runs the rest as the caller
 * (root, in these tests). Only used to take the "not root, sudo works" branch, and named so.
 */
export function sudoStandIn(): { dir: string; log: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-sudo-"));
  const log = path.join(dir, "calls");
  mkdirSync(path.join(dir, "bin"));
  mkdirSync(log);
  writeFileSync(
    path.join(dir, "bin", "sudo"),
    `#!/bin/sh\nn=$(ls "${log}" | wc -l)\nprintf '%s\\0' "$@" > "${log}/$n"\n[ "$1" = "-n" ] && shift\nexec "$@"\n`,
    { mode: 0o755 },
  );
  return { dir: path.join(dir, "bin"), log };
}

/** The argv of each sudo call, in order. */
export function sudoCalls(log: string): string[][] {
  if (!existsSync(log)) return [];
  return readdirSync(log)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => readFileSync(path.join(log, String(n))).toString().split("\0").slice(0, -1));
}

export interface CacheService {
  /** ACTIONS_CACHE_URL for @actions/cache (its v1 protocol). */
  url: string;
  /** Keys saved so far. */
  saved: string[];
  /** Keys asked for, hit or miss. */
  lookups: string[];
  stop: () => Promise<void>;
}

/**
 * A stand-in for the runner's cache service (served locally): the few calls of @actions/cache's v1
 * protocol, keeping archives in memory — look up, reserve, upload, commit, download.
 */
export async function serveCacheService(): Promise<CacheService> {
  const entries = new Map<string, Buffer>();
  const uploads = new Map<number, { key: string; version: string; chunks: Buffer[] }>();
  const saved: string[] = [];
  const lookups: string[] = [];
  let origin = "";
  const ports = Array.from({ length: 100 }, (_, i) => 18300 + i).sort(() => Math.random() - 0.5);
  for (const port of ports) {
    const server: Server = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on("data", (d: Buffer) => body.push(d));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://x");
        const p = url.pathname.replace(/^\/_apis\/artifactcache\//, "");
        const json = (status: number, v: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(v));
        if (req.method === "GET" && p === "cache") {
          const key = url.searchParams.get("keys") ?? "";
          lookups.push(key);
          const id = `${key}|${url.searchParams.get("version")}`;
          if (!entries.has(id)) return void res.writeHead(204).end();
          return json(200, { cacheKey: key, archiveLocation: `${origin}/archive/${encodeURIComponent(id)}` });
        }
        if (req.method === "GET" && url.pathname.startsWith("/archive/")) {
          const data = entries.get(decodeURIComponent(url.pathname.slice("/archive/".length)));
          if (!data) return void res.writeHead(404).end();
          return void res.writeHead(200, { "content-length": data.length }).end(data);
        }
        if (req.method === "POST" && p === "caches") {
          const r = JSON.parse(Buffer.concat(body).toString()) as { key: string; version: string };
          const id = uploads.size + 1;
          uploads.set(id, { key: r.key, version: r.version, chunks: [] });
          return json(201, { cacheId: id });
        }
        const m = p.match(/^caches\/(\d+)$/);
        const up = m ? uploads.get(Number(m[1])) : undefined;
        if (up && req.method === "PATCH") {
          up.chunks.push(Buffer.concat(body));
          return void res.writeHead(204).end();
        }
        if (up && req.method === "POST") {
          entries.set(`${up.key}|${up.version}`, Buffer.concat(up.chunks));
          saved.push(up.key);
          return void res.writeHead(204).end();
        }
        res.writeHead(404).end();
      });
    });
    const ok = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (!ok) continue;
    origin = `http://127.0.0.1:${port}`;
    return { url: `${origin}/`, saved, lookups, stop: () => new Promise((r) => server.close(() => r())) };
  }
  throw new Error("no free port in 18300-18399");
}
