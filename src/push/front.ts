import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import http from "node:http";
import https from "node:https";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { PushTarget } from "../push-target.js";
import { hashPart, narinfoText, type PathMeta } from "./upstream.js";

/**
 * The local binary-cache endpoint `nix copy` writes to when skip-upstream is on: a Node HTTP server
 * on 127.0.0.1, alive for the copies. For the paths an upstream serves it answers their narinfo
 * itself (so Nix takes them as valid there and adds the paths that refer to them); every other
 * request goes to the real cache: a file:// folder read and written here, or an http(s):// cache
 * the request is forwarded to with push-to's credentials (its user:password, or the netrc input's
 * entry for its host), which never reach a log or a file. Its URL holds a random token: another
 * local user cannot write to the team's cache through it.
 */
export interface Front {
  /** `http://127.0.0.1:PORT/TOKEN`: push-to's place for `nix copy --to`. */
  base: string;
  /** Answers these paths' narinfos from now on. */
  vouch(metas: PathMeta[]): void;
  /** How many paths it answers for. */
  vouched(): number;
  stop(): Promise<void>;
}

/** Where the requests that are not vouched for go. */
type Backend = { kind: "dir"; root: string } | { kind: "http"; url: URL; auth?: string; open: Set<http.ClientRequest> };

export async function startFront(target: PushTarget, netrc: string): Promise<Front> {
  const backend = backendOf(target, netrc);
  const token = randomBytes(16).toString("hex");
  const narinfos = new Map<string, string>();
  const server = http.createServer((req, res) => {
    void answer(req, res, token, narinfos, backend).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
  return {
    base: `http://127.0.0.1:${port}/${token}`,
    vouch: (metas) => {
      for (const m of metas) narinfos.set(`${hashPart(m.path)}.narinfo`, narinfoText(m));
    },
    vouched: () => narinfos.size,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        // a cache that never answers must not keep the step's process alive
        if (backend.kind === "http") for (const r of backend.open) r.destroy();
      }),
  };
}

function backendOf(target: PushTarget, netrc: string): Backend {
  const url = new URL(target.base);
  if (url.protocol === "file:") return { kind: "dir", root: path.resolve(decodeURIComponent(url.pathname)) };
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`no local front for ${url.protocol}// caches`);
  const user = decodeURIComponent(url.username);
  const login = user ? { user, password: target.password } : netrcLogin(netrc, url.hostname);
  url.username = "";
  url.password = "";
  const auth = login ? `Basic ${Buffer.from(`${login.user}:${login.password}`).toString("base64")}` : undefined;
  return { kind: "http", url, auth, open: new Set() };
}

/** The login and password of `host`'s netrc entry (or of `default`), as curl would send them. */
export function netrcLogin(netrc: string, host: string): { user: string; password: string } | undefined {
  const w = netrc.split(/\s+/).filter(Boolean);
  let found: { user: string; password: string } | undefined;
  let current: { user: string; password: string } | undefined;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === "machine" || w[i] === "default") {
      if (found) break;
      const matches = w[i] === "default" || w[i + 1] === host;
      current = matches ? { user: "", password: "" } : undefined;
      if (matches) found = current;
      if (w[i] === "machine") i++;
    } else if (current && (w[i] === "login" || w[i] === "password")) {
      current[w[i] === "login" ? "user" : "password"] = w[i + 1] ?? "";
      i++;
    }
  }
  return found;
}

async function answer(req: http.IncomingMessage, res: http.ServerResponse, token: string, narinfos: Map<string, string>, backend: Backend): Promise<void> {
  const url = new URL(req.url ?? "/", "http://x");
  const prefix = `/${token}/`;
  if (!url.pathname.startsWith(prefix)) return void res.writeHead(404).end();
  const rest = url.pathname.slice(prefix.length);
  const vouched = narinfos.get(rest);
  if (vouched !== undefined && (req.method === "GET" || req.method === "HEAD")) {
    res.writeHead(200, { "content-type": "text/x-nix-narinfo", "content-length": Buffer.byteLength(vouched) });
    return void res.end(req.method === "HEAD" ? undefined : vouched);
  }
  if (backend.kind === "dir") return fromDir(req, res, backend.root, rest);
  return forward(req, res, backend, rest + url.search);
}

async function fromDir(req: http.IncomingMessage, res: http.ServerResponse, root: string, rest: string): Promise<void> {
  const file = path.resolve(root, decodeURIComponent(rest));
  if (!file.startsWith(root + path.sep)) return void res.writeHead(400).end();
  if (req.method === "PUT") {
    await mkdir(path.dirname(file), { recursive: true });
    // written aside and renamed: a reader never sees half a file, as with an object store
    const tmp = `${file}.tmp-${randomBytes(6).toString("hex")}`;
    try {
      await pipeline(req, createWriteStream(tmp, { mode: 0o644 }));
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return void res.writeHead(200).end();
  }
  if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405).end();
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) return void res.writeHead(404).end();
  res.writeHead(200, { "content-length": st.size });
  if (req.method === "HEAD") return void res.end();
  await pipeline(createReadStream(file), res);
}

// `expect`: this server has already answered curl's 100-continue; the body is on its way
const HOP_BY_HOP = new Set(["host", "authorization", "connection", "keep-alive", "transfer-encoding", "proxy-authorization", "te", "upgrade", "expect"]);

/** The request, streamed to the cache and its answer back, with the cache's credentials added. */
function forward(req: http.IncomingMessage, res: http.ServerResponse, backend: Extract<Backend, { kind: "http" }>, rest: string): Promise<void> {
  const to = new URL(backend.url.href.replace(/\/+$/, "") + "/" + rest);
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
  if (backend.auth) headers.authorization = backend.auth;
  const lib = to.protocol === "https:" ? https : http;
  return new Promise<void>((resolve, reject) => {
    const out = lib.request(to, { method: req.method, headers }, (answer) => {
      const back: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) back[k] = v;
      res.writeHead(answer.statusCode ?? 502, back);
      pipeline(answer, res).then(resolve, reject);
    });
    backend.open.add(out);
    out.on("close", () => backend.open.delete(out));
    out.on("error", reject);
    pipeline(req, out).catch(reject);
  });
}
