// A binary cache over HTTP whose uploads are rate-limited, like a cache across a network link: the
// PUT bodies of all connections together arrive at no more than --rate bytes/s. GET/HEAD serve files
// from --dir; a PUT is stored to a temp file and renamed when complete (an object store's semantics:
// a half-sent NAR is never visible). Faults:
//   --fail500-seconds N   every PUT answers 500 for the first N seconds (after reading its body)
//   SIGUSR1 / SIGUSR2     start / stop answering 500 to every PUT
// Listens on 127.0.0.1 only (first free port of 18200-18299 from a random start); prints "PORT <n>"
// once listening, and "PUT <ms since start> <bytes> <path>" per stored file. Exits by itself after
// --max-seconds, or on SIGTERM.
//
// Run as a program (node throttled-cache.mjs --dir D --rate 20000000), or start it from tests and the
// benchmark with `startThrottledCache`, which runs it as a child process and stops it by its PID.
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);

function serve(argv) {
  const args = Object.fromEntries(argv.reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
  const root = path.resolve(args.dir);
  const rate = Number(args.rate ?? 20_000_000);
  const failUntil = Date.now() + Number(args["fail500-seconds"] ?? 0) * 1000;
  const started = Date.now();
  let failing = false;
  // the time at which the link is free again: a token bucket with no burst
  let linkFreeAt = Date.now();
  mkdirSync(root, { recursive: true });

  const safe = (urlPath) => {
    const rel = decodeURIComponent(urlPath.split("?")[0]).replace(/^\/+/, "");
    const full = path.resolve(root, rel);
    return full.startsWith(root + path.sep) ? full : undefined;
  };

  const server = http.createServer((req, res) => {
    const file = safe(req.url ?? "/");
    if (!file) return res.writeHead(400).end();
    if (req.method === "GET" || req.method === "HEAD") {
      let st;
      try {
        st = statSync(file);
      } catch {
        return res.writeHead(404).end();
      }
      if (!st.isFile()) return res.writeHead(404).end();
      res.writeHead(200, { "content-length": st.size });
      if (req.method === "HEAD") return res.end();
      return createReadStream(file).pipe(res);
    }
    if (req.method !== "PUT") return res.writeHead(405).end();
    const reject = failing || Date.now() < failUntil;
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.part-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const out = reject ? undefined : createWriteStream(tmp);
    // a client killed mid-upload makes these fail; the upload is dropped, the server carries on
    out?.on("error", () => rmSync(tmp, { force: true }));
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    let aborted = false;
    let bytes = 0;
    req.on("data", (d) => {
      bytes += d.length;
      if (!aborted) out?.write(d);
      const now = Date.now();
      linkFreeAt = Math.max(now, linkFreeAt) + (d.length / rate) * 1000;
      if (linkFreeAt - now > 1) {
        req.pause();
        setTimeout(() => req.resume(), linkFreeAt - now);
      }
    });
    // a client that goes away mid-upload (killed) leaves nothing: the part file is dropped
    req.on("close", () => {
      if (req.complete) return;
      aborted = true;
      out?.destroy();
      rmSync(tmp, { force: true });
    });
    req.on("end", () => {
      if (!out) return res.writeHead(500).end("injected failure\n");
      if (aborted) return;
      out.end(() => {
        if (aborted) return;
        try {
          renameSync(tmp, file);
        } catch {
          return res.writeHead(500).end();
        }
        console.log(`PUT ${Date.now() - started} ${bytes} ${path.relative(root, file)}`);
        res.writeHead(200).end();
      });
    });
  });

  const start = Math.floor(Math.random() * 100);
  const ports = Array.from({ length: 100 }, (_, i) => 18200 + ((start + i) % 100));
  const listen = () => {
    const port = ports.shift();
    if (port === undefined) {
      console.error("no free port in 18200-18299");
      process.exit(2);
    }
    server.once("error", (e) => (e.code === "EADDRINUSE" ? listen() : (console.error(String(e)), process.exit(2))));
    server.listen(port, "127.0.0.1", () => console.log(`PORT ${port}`));
  };
  listen();
  setTimeout(() => process.exit(0), Number(args["max-seconds"] ?? 600) * 1000).unref();
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGUSR1", () => (failing = true));
  process.on("SIGUSR2", () => (failing = false));
}

/** Starts the server as a child process; resolves once it listens. */
export async function startThrottledCache({ dir, bytesPerSecond, fail500Seconds = 0, maxSeconds = 600 }) {
  const args = [SELF, "--dir", dir, "--rate", String(bytesPerSecond), "--fail500-seconds", String(fail500Seconds), "--max-seconds", String(maxSeconds)];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const puts = [];
  const exited = new Promise((r) => child.once("exit", (code) => r(code)));
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const port = await new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`throttled cache did not start: ${err}`)), 10_000);
    child.stdout.setEncoding("utf8").on("data", (d) => {
      buf += d;
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = /^PORT (\d+)$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
        const p = /^PUT (\d+) (\d+) (.+)$/.exec(line);
        if (p) puts.push({ ms: Number(p[1]), bytes: Number(p[2]), path: p[3], at: Date.now() });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`throttled cache exited (${code}): ${err}`));
    });
  });
  const signal = (sig) => {
    try {
      process.kill(child.pid, sig);
    } catch {
      /* gone */
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    dir: path.resolve(dir),
    puts,
    exited,
    failPuts: (on) => signal(on ? "SIGUSR1" : "SIGUSR2"),
    stop: async () => {
      signal("SIGTERM");
      await exited;
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) serve(process.argv.slice(2));
