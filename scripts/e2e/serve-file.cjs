// Serves one file at one URL path over HTTP on 127.0.0.1, on the first free port in 18450–18499,
// for scripts/e2e.sh (the stand-in installer). Usage: node serve-file.cjs FILE URL_PATH PORT_FILE
// REQUEST_LOG. Writes the port to PORT_FILE once listening, appends "METHOD PATH STATUS" per request
// to REQUEST_LOG; every other path is a 404. Exits on SIGTERM, and by itself after 10 minutes so it
// can never outlive a run that lost track of it.
"use strict";
const fs = require("node:fs");
const http = require("node:http");

const [file, urlPath, portFile, requestLog] = process.argv.slice(2);
if (!requestLog) {
  console.error("usage: serve-file.cjs FILE URL_PATH PORT_FILE REQUEST_LOG");
  process.exit(2);
}
const body = fs.readFileSync(file);
const server = http.createServer((req, res) => {
  const p = new URL(req.url ?? "/", "http://x").pathname;
  const ok = req.method === "GET" && p === urlPath;
  fs.appendFileSync(requestLog, `${req.method} ${p} ${ok ? 200 : 404}\n`);
  if (ok) res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length }).end(body);
  else res.writeHead(404).end("not found\n");
});
let port = 18450;
server.on("error", (e) => {
  if (e.code === "EADDRINUSE" && port < 18499) {
    port += 1;
    server.listen(port, "127.0.0.1");
  } else {
    console.error(`serve-file: ${e.message}`);
    process.exit(1);
  }
});
server.on("listening", () => {
  fs.writeFileSync(`${portFile}.part`, `${port}\n`);
  fs.renameSync(`${portFile}.part`, portFile);
});
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
setTimeout(() => process.exit(0), 600_000);
