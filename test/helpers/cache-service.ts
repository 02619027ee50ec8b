import { readBody, startServer } from "../../scripts/lib/http-server.mjs";

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
 * A stand-in for the runner's cache service (served locally, by the shared test server): the few
 * calls of @actions/cache's v1 protocol, keeping archives in memory — look up, reserve, upload,
 * commit, download.
 */
export async function serveCacheService(): Promise<CacheService> {
  const entries = new Map<string, Buffer>();
  const uploads = new Map<number, { key: string; version: string; chunks: Buffer[] }>();
  const saved: string[] = [];
  const lookups: string[] = [];
  let origin = "";
  const started = await startServer((req, res) => {
    void readBody(req).then((body) => {
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
        const r = JSON.parse(body.toString()) as { key: string; version: string };
        const id = uploads.size + 1;
        uploads.set(id, { key: r.key, version: r.version, chunks: [] });
        return json(201, { cacheId: id });
      }
      const m = p.match(/^caches\/(\d+)$/);
      const up = m ? uploads.get(Number(m[1])) : undefined;
      if (up && req.method === "PATCH") {
        up.chunks.push(body);
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
  origin = started.origin;
  return { url: `${origin}/`, saved, lookups, stop: started.stop };
}
