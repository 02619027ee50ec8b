// Records what each Nix version says for each fault the post step's push handles, into
// test/fixtures/nix-errors/<version>/<fault>.txt: the stderr of a real `nix copy --to URL` against
// servers on 127.0.0.1 that fail in that way. test/push/fault-recordings.test.ts checks the
// classifier (src/push/report.ts) against these files. Run it as root on a never-used store:
//   bash scripts/with-fresh-nix.sh node scripts/record-nix-faults.mjs
// It records the system's Nix and each version scripts/provision-nix.mjs provides; fault names as
// arguments (`… record-nix-faults.mjs path-gone`) record only those. Ports, temporary
// folders, store hashes and S3 request ids are replaced by placeholders, so a re-recording differs
// only where Nix's words do.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TEST_NIX_CONFIG, trivialDrv } from "./lib/nix.mjs";
import { provisionNix } from "./provision-nix.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(root, "test/fixtures/nix-errors");
const tmp = mkdtempSync(path.join(os.tmpdir(), "nra-faults-"));
const only = process.argv.slice(2);
const children = [];
const servers = [];

/** An HTTP server on 127.0.0.1 that answers every request with `status`, or never answers (0). */
async function serve(status) {
  const srv = http.createServer((req, res) => {
    if (status === 0) return; // accepted, never answered: a stalled cache
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(`${status} from the fault recorder\n`);
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  servers.push(srv);
  return `http://127.0.0.1:${srv.address().port}`;
}

async function closedPort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const port = srv.address().port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** moto's S3 server when installed (PyPI moto[server]); stopped by its PID at the end. */
async function startMoto() {
  try {
    execFileSync("sh", ["-c", "command -v moto_server"]);
  } catch {
    return undefined;
  }
  const port = await closedPort();
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  children.push(child);
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)) return port;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("moto_server did not answer within 10 s");
}

/**
 * A bucket on moto that refuses every request, as S3 refuses one whose credentials it does not
 * accept: a bucket policy denying everyone everything, so moto answers 403. (moto's own
 * authentication, INITIAL_NO_AUTH_ACTION_COUNT=0, cannot stand in: this Nix signs nothing, and
 * moto 5.2 answers an unsigned request with a 500, a KeyError on the missing Authorization header.)
 * Made before any nix runs, while moto takes unsigned requests.
 */
async function refusingBucket(port) {
  const name = "nra-refused";
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`] }],
  };
  const base = `http://127.0.0.1:${port}/${name}`;
  for (const [url, body] of [[base, undefined], [`${base}?policy`, JSON.stringify(policy)]]) {
    const r = await fetch(url, { method: "PUT", body, headers: body ? { "content-type": "application/json" } : {} });
    if (!r.ok) throw new Error(`moto: PUT ${url}: HTTP ${r.status} ${await r.text()}`);
  }
  const probe = await fetch(`${base}/nix-cache-info`);
  if (probe.status !== 403) throw new Error(`moto: the refusing bucket answered ${probe.status}, not 403`);
  return name;
}

function run(cmd, args, env, timeoutMs = 90_000) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

function normalize(text) {
  return text
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
    .replace(/127\.0\.0\.1 port \d+/g, "127.0.0.1 port PORT") // curl's words in 2.26's message
    .replace(/\/nix\/store\/[0-9a-z]{32}-/g, "/nix/store/HASH-")
    .replace(/nar\/[0-9a-z]{52}\.nar/g, "nar/NARHASH.nar")
    .replace(new RegExp(tmp.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g"), "TMP")
    .replace(/<RequestId>[^<]*<\/RequestId>/g, "<RequestId>ID</RequestId>")
    .replace(/<HostId>[^<]*<\/HostId>/g, "<HostId>ID</HostId>")
    .replace(/nra-missing-\d+/g, "nra-missing-N")
    .replace(/after \d+ ms/g, "after N ms")
    .replace(/ \d+ milliseconds/g, " N milliseconds");
}

async function record(label, bindir, moto, refused) {
  const version = execFileSync(path.join(bindir, "nix"), ["--version"], { encoding: "utf8" }).trim().split(" ").pop();
  const home = mkdtempSync(path.join(tmp, `home-${version}-`));
  // no narinfo cache from an earlier run (HOME), one Nix try per fault, short stall/connect timeouts
  const env = {
    PATH: `${bindir}:${process.env.PATH}`,
    HOME: home,
    NIX_USER_CONF_FILES: "",
    NIX_CONFIG: [
      TEST_NIX_CONFIG, "download-attempts = 1", "connect-timeout = 2", "stalled-download-timeout = 3",
    ].join("\n"),
  };
  const salt = `${version}-${Date.now()}`;
  const expr = trivialDrv("nra-fault", salt, `echo ${salt} > $out`);
  const built = await run("nix-build", ["--no-out-link", "-E", expr], env);
  if (built.code !== 0) throw new Error(`${label}: building the path to push failed: ${built.err}`);
  const storePath = built.out.trim();

  const faults = {
    "connection-refused": `http://127.0.0.1:${await closedPort()}`,
    "http-500": await serve(500),
    "http-502": await serve(502),
    "http-401": await serve(401),
    "http-403": await serve(403),
    "stalled-timeout": await serve(0),
    // a local store that checks signatures, as a cache host's does: the path is unsigned
    "signature-refused": `local?root=${mkdtempSync(path.join(tmp, "remote-"))}`,
    // a path deleted from the store since the job built it, copied as the action copies (substitute=false)
    "path-gone": `file://${mkdtempSync(path.join(tmp, "cache-"))}`,
  };
  /** Per fault, the store path copied and the options before it, when not the built path alone. */
  const copied = {
    "path-gone": ["--option", "substitute", "false", `${path.dirname(storePath)}/${"0".repeat(32)}-nra-gone`],
  };
  // per fault, what nix copy's environment adds: credentials the refusing bucket does not take
  // (made up; whatever they are, this Nix sends none of them)
  const faultEnv = {
    "s3-credentials-refused": { AWS_ACCESS_KEY_ID: "AKIANRAWRONGKEY00000", AWS_SECRET_ACCESS_KEY: "nra-wrong-secret" },
  };
  if (moto) {
    const s3 = `endpoint=127.0.0.1:${moto}&region=us-east-1&scheme=http`;
    faults["s3-missing-bucket"] = `s3://nra-missing-${Date.now()}?${s3}`;
    faults["s3-credentials-refused"] = `s3://${refused}?${s3}`;
  }
  const dir = path.join(OUT, version);
  mkdirSync(dir, { recursive: true });
  let withoutS3 = false;
  for (const [fault, url] of Object.entries(faults)) {
    // a Nix built without S3 refuses every s3:// URL the same way: recorded once, as s3-unsupported
    if (withoutS3 && fault.startsWith("s3-")) continue;
    if (only.length > 0 && !only.includes(fault) && !(fault.startsWith("s3-") && only.includes("s3-unsupported"))) continue;
    const r = await run("nix", ["copy", "--to", url, ...(copied[fault] ?? [storePath])], { ...env, ...faultEnv[fault] });
    let name = fault;
    // a Nix built without S3 refuses the URL before any request: that is the fault it meets
    if (fault.startsWith("s3-") && /don't know how to open Nix store/.test(r.err)) {
      name = "s3-unsupported";
      withoutS3 = true;
    }
    if (r.code === 0) throw new Error(`${label} ${fault}: nix copy to ${url} succeeded; no fault to record`);
    writeFileSync(path.join(dir, `${name}.txt`), normalize(r.err));
    console.log(`record-nix-faults: Nix ${version} ${name}: exit ${r.code}, ${r.err.trim().split("\n").pop()}`);
  }
}

try {
  const moto = only.length === 0 || only.some((f) => f.startsWith("s3-")) ? await startMoto() : undefined;
  if (!moto && only.length === 0) console.log("record-nix-faults: moto_server missing: no S3 faults recorded (pip install 'moto[server]')");
  const refused = moto && (await refusingBucket(moto));
  const versions = [["system", path.dirname(execFileSync("sh", ["-c", "command -v nix"], { encoding: "utf8" }).trim())]];
  for (const { version, bindir } of provisionNix()) versions.push([version, bindir]);
  for (const [label, bindir] of versions) await record(label, bindir, moto, refused);
} finally {
  for (const s of servers) s.closeAllConnections?.(), s.close();
  for (const c of children) c.kill("SIGTERM");
  rmSync(tmp, { recursive: true, force: true });
}
