// The one local HTTP server of the tests, the benchmarks and the e2e harness. It listens on
// 127.0.0.1 only, on a given port or on a free one of a range (tried from a random start, so runs
// side by side keep apart), and stops when told or after a bounded lifetime. What it answers is a
// handler: files at URL paths (the stand-in installer), a binary cache in a folder with faults on
// demand; in test/, the Actions cache protocol, a forge's API and git over smart HTTP.
//
// As a program, for bash and for a server that must be able to die in the middle of a request:
//   node http-server.mjs files [options] URL_PATH=FILE...   GET (or HEAD) of URL_PATH answers FILE, all else 404
//   node http-server.mjs cache --dir DIR [--mode M] [--die-after-bytes N] [options]
//     a binary cache in DIR: GET/HEAD serve its files, PUT stores them (to a temp file, renamed when
//     the body is complete, like a real object store). Faults: --mode ok | fail500 (every PUT
//     answers 500) | hang (accept, never answer) | die (exit abruptly once N bytes of PUT bodies
//     have arrived, default 1000000)
//   options: --port N | --ports FROM-TO (default 18100-18199), --max-seconds S (default 600),
//     --port-file F (the port is written there, atomically, once listening), --log F (appends
//     "METHOD PATH STATUS" per request answered)
// It prints "PORT <n>" once listening and exits on SIGTERM, or by itself after --max-seconds.
import { spawn } from "node:child_process";
import { appendFileSync, createReadStream, createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stopChild } from "./process.mjs";

const SELF = fileURLToPath(import.meta.url);

/** Ports of [from, to] from a random start, each once. @param {[number, number]} range */
function candidates([from, to]) {
  const n = to - from + 1;
  const start = Math.floor(Math.random() * n);
  return Array.from({ length: n }, (_, i) => from + ((start + i) % n));
}

/** A port of `range` on 127.0.0.1 that nothing listens on right now, for a server that is not ours. @param {[number, number]} [range] */
export async function freePort(range = [18300, 18399]) {
  for (const port of candidates(range)) {
    const ok = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port in ${range[0]}-${range[1]}`);
}

/**
 * Listens on 127.0.0.1 with `handler`: on `port`, or on the first free port of `ports` (default
 * 18300-18399). With `maxSeconds`, it closes by itself after that long.
 * @param {http.RequestListener} handler
 * @param {{ port?: number, ports?: [number, number], maxSeconds?: number }} [o]
 */
export async function startServer(handler, o = {}) {
  const server = http.createServer(handler);
  const range = o.ports ?? [18300, 18399];
  for (const port of o.port ? [o.port] : candidates(range)) {
    const ok = await new Promise((resolve, reject) => {
      const onError = (/** @type {NodeJS.ErrnoException} */ e) => (e.code === "EADDRINUSE" && !o.port ? resolve(false) : reject(e));
      server.once("error", onError);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", onError);
        resolve(true);
      });
    });
    if (!ok) continue;
    const stop = () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
    if (o.maxSeconds) setTimeout(() => void stop(), o.maxSeconds * 1000).unref();
    return { server, port, origin: `http://127.0.0.1:${port}`, stop };
  }
  throw new Error(`no free port in ${range[0]}-${range[1]}`);
}

/** The whole body of a request. @param {http.IncomingMessage} req @returns {Promise<Buffer>} */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (d) => chunks.push(d));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * A handler answering GET (and HEAD) of each path of `files` with its body; anything else is a 404.
 * `onRequest` hears each request's path, and `onAnswer` each answer as "METHOD PATH STATUS".
 * @param {Record<string, string | Buffer>} files
 * @param {{ onRequest?: (path: string) => void, onAnswer?: (line: string) => void }} [o]
 * @returns {http.RequestListener}
 */
export function filesHandler(files, o = {}) {
  return (req, res) => {
    const p = new URL(req.url ?? "/", "http://x").pathname;
    o.onRequest?.(p);
    const body = files[p];
    const ok = body !== undefined && (req.method === "GET" || req.method === "HEAD");
    o.onAnswer?.(`${req.method} ${p} ${ok ? 200 : 404}`);
    if (!ok) return void res.writeHead(404).end("not found\n");
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

/**
 * Serves `files` (URL path → body) in this process, on 127.0.0.1 (a free port in 18300–18399 unless
 * `ports` says otherwise); `requests` lists the paths asked for so far, in order.
 * @param {Record<string, string | Buffer>} files @param {{ ports?: [number, number] }} [o]
 */
export async function serve(files, o = {}) {
  /** @type {string[]} */
  const requests = [];
  const s = await startServer(filesHandler(files, { onRequest: (p) => requests.push(p) }), o);
  return { origin: s.origin, port: s.port, requests, stop: s.stop };
}

/**
 * A handler for a binary cache in `dir`, with the faults of `mode` (see the top of this file). `die`
 * ends the whole process: use it in a process of its own (startCache).
 * @param {string} dir @param {{ mode?: string, dieAfterBytes?: number }} [o]
 * @returns {http.RequestListener}
 */
export function cacheHandler(dir, o = {}) {
  const root = path.resolve(dir);
  const mode = o.mode ?? "ok";
  const dieAfter = o.dieAfterBytes ?? 1_000_000;
  let received = 0;
  mkdirSync(root, { recursive: true });
  const safe = (/** @type {string} */ urlPath) => {
    const full = path.resolve(root, decodeURIComponent(urlPath.split("?")[0]).replace(/^\/+/, ""));
    return full.startsWith(root + path.sep) ? full : undefined;
  };
  return (req, res) => {
    const file = safe(req.url ?? "/");
    if (!file) return void res.writeHead(400).end();
    if (mode === "hang") return; // hold the connection open, answer nothing
    if (req.method === "GET" || req.method === "HEAD") {
      let st;
      try {
        st = statSync(file);
      } catch {
        return void res.writeHead(404).end();
      }
      if (!st.isFile()) return void res.writeHead(404).end();
      res.writeHead(200, { "content-length": st.size });
      if (req.method === "HEAD") return void res.end();
      return void createReadStream(file).pipe(res);
    }
    if (req.method !== "PUT") return void res.writeHead(405).end();
    if (mode === "fail500") {
      req.resume();
      return void req.on("end", () => res.writeHead(500).end("injected failure\n"));
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.part-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const out = createWriteStream(tmp);
    req.on("data", (d) => {
      received += d.length;
      if (mode === "die" && received >= dieAfter) {
        out.destroy();
        process.exit(3); // the server is gone mid-upload: the partial file is never renamed
      }
    });
    req.pipe(out);
    out.on("finish", () => {
      renameSync(tmp, file);
      res.writeHead(200).end();
    });
    out.on("error", () => {
      rmSync(tmp, { force: true });
      res.writeHead(500).end();
    });
  };
}

/**
 * Starts this file as a program serving a binary cache in `dir` (`cache` above) on 127.0.0.1, in a
 * process of its own, so that `die` can end it mid-upload. Resolves once it listens.
 * @param {string} dir @param {"ok" | "fail500" | "hang" | "die"} [mode]
 * @param {{ port?: number, dieAfterBytes?: number }} [opts]
 */
export async function startCache(dir, mode = "ok", opts = {}) {
  const args = [SELF, "cache", "--dir", dir, "--mode", mode, "--max-seconds", "300"];
  if (opts.port) args.push("--port", String(opts.port));
  if (opts.dieAfterBytes) args.push("--die-after-bytes", String(opts.dieAfterBytes));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((r) => child.once("exit", (code) => r(code)));
  const port = await new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`cache server did not start: ${err}`)), 10_000);
    child.stdout.on("data", (/** @type {Buffer} */ d) => {
      out += d.toString();
      const m = out.match(/PORT (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr.on("data", (/** @type {Buffer} */ d) => (err += d.toString()));
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`cache server exited: ${err}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid, dir, exited, stop: () => stopChild(child) };
}

/** The program: `files` or `cache`, see the top of this file. @param {string[]} argv */
async function main(argv) {
  const [what, ...rest] = argv;
  /** @type {Record<string, string>} */
  const opt = {};
  const positional = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i].startsWith("--")) opt[rest[i].slice(2)] = rest[++i];
    else positional.push(rest[i]);
  }
  const log = opt.log;
  const onAnswer = log ? (/** @type {string} */ line) => appendFileSync(log, `${line}\n`) : undefined;
  /** @type {http.RequestListener} */
  let handler;
  if (what === "files" && positional.length > 0) {
    /** @type {Record<string, Buffer>} */
    const files = {};
    for (const spec of positional) {
      const at = spec.indexOf("=");
      files[spec.slice(0, at)] = readFileSync(spec.slice(at + 1));
    }
    handler = filesHandler(files, { onAnswer });
  } else if (what === "cache" && opt.dir) {
    const cache = cacheHandler(opt.dir, { mode: opt.mode, dieAfterBytes: opt["die-after-bytes"] ? Number(opt["die-after-bytes"]) : undefined });
    handler = (req, res) => {
      res.on("finish", () => onAnswer?.(`${req.method} ${req.url} ${res.statusCode}`));
      cache(req, res);
    };
  } else {
    console.error("usage: http-server.mjs files [options] URL_PATH=FILE... | http-server.mjs cache --dir DIR [options]");
    process.exit(2);
  }
  const [from, to] = (opt.ports ?? "18100-18199").split("-").map(Number);
  const s = await startServer(handler, { port: opt.port ? Number(opt.port) : undefined, ports: [from, to] }).catch((e) => {
    console.error(`http-server: ${e.message}`);
    process.exit(2);
  });
  if (opt["port-file"]) {
    writeFileSync(`${opt["port-file"]}.part`, `${s.port}\n`);
    renameSync(`${opt["port-file"]}.part`, opt["port-file"]);
  }
  console.log(`PORT ${s.port}`);
  setTimeout(() => process.exit(0), Number(opt["max-seconds"] ?? 600) * 1000).unref();
  process.on("SIGTERM", () => void s.stop().then(() => process.exit(0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) await main(process.argv.slice(2));
