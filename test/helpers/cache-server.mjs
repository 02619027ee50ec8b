// A binary cache over HTTP for tests: GET/HEAD serve files from a directory, PUT stores them (to a
// temp file, renamed when the body is complete, like a real object store). Faults on demand:
//   --mode ok | fail500 (every PUT answers 500) | hang (accept, never answer) | die (exit mid-upload)
//   --die-after-bytes N   with --mode die: exit abruptly once N bytes of PUT bodies have arrived
// Listens on 127.0.0.1 only, on --port or the first free port of 18100-18199 from a random start;
// prints "PORT <n>" once listening. Exits by itself after --max-seconds (bounded) or on SIGTERM.
import { createReadStream, createWriteStream, mkdirSync, renameSync, statSync, rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const root = path.resolve(args.dir);
const mode = args.mode ?? "ok";
const dieAfter = Number(args["die-after-bytes"] ?? 1_000_000);
const maxSeconds = Number(args["max-seconds"] ?? 600);
let received = 0;
mkdirSync(root, { recursive: true });

function safe(urlPath) {
  const rel = decodeURIComponent(urlPath.split("?")[0]).replace(/^\/+/, "");
  const full = path.resolve(root, rel);
  return full.startsWith(root + path.sep) ? full : undefined;
}

const server = http.createServer((req, res) => {
  const file = safe(req.url ?? "/");
  if (!file) return res.writeHead(400).end();
  if (mode === "hang") return; // hold the connection open, answer nothing
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
  if (req.method === "PUT") {
    if (mode === "fail500") {
      req.resume();
      return req.on("end", () => res.writeHead(500).end("injected failure\n"));
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
    return;
  }
  res.writeHead(405).end();
});

function listen(ports) {
  const port = ports.shift();
  if (port === undefined) {
    console.error("no free port in 18100-18199");
    process.exit(2);
  }
  server.once("error", (e) => (e.code === "EADDRINUSE" && !args.port ? listen(ports) : (console.error(String(e)), process.exit(2))));
  server.listen(port, "127.0.0.1", () => console.log(`PORT ${port}`));
}

const start = Math.floor(Math.random() * 100);
const candidates = args.port ? [Number(args.port)] : Array.from({ length: 100 }, (_, i) => 18100 + ((start + i) % 100));
listen(candidates);
setTimeout(() => process.exit(0), maxSeconds * 1000).unref();
process.on("SIGTERM", () => process.exit(0));
