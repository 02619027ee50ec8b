import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../scripts/lib/http-server.mjs";
import { stopChild } from "../../scripts/lib/process.mjs";

export interface S3Server {
  endpoint: string;
  /** An s3:// store URL for `bucket` on this server, as a user writes it in push-to. */
  url: (bucket: string) => string;
  createBucket: (bucket: string) => Promise<void>;
  /** Every object of `bucket`, fetched into `dir` under its key: a file:// cache of exactly what is in the bucket. */
  download: (bucket: string, dir: string) => string[];
  stop: () => Promise<void>;
}

/** True when `moto_server` (PyPI moto[server]) is installed: the S3 tests need it. */
export function motoInstalled(): boolean {
  return spawnSync("sh", ["-c", "command -v moto_server"]).status === 0;
}

/**
 * moto's S3 server on 127.0.0.1, a real S3 API (buckets, objects, 404 NoSuchBucket) with no AWS
 * behind it; it accepts anonymous requests, which is all Debian's Nix 2.34 sends (built without
 * AWS auth, it never signs). It serves reads only to signed requests, so a test reads a bucket back
 * with `download` (curl signs). Stopped by its own process, never by name.
 */
export async function startS3(): Promise<S3Server> {
  const port = await freePort();
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  let up = false;
  for (let i = 0; i < 100 && !up && child.exitCode === null; i++) {
    up = await fetch(endpoint).then(
      () => true,
      () => false,
    );
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) {
    await stopChild(child);
    throw new Error(`moto_server did not answer on ${endpoint} within 10 s`);
  }
  return {
    endpoint,
    url: (bucket) => `s3://${bucket}?endpoint=127.0.0.1:${port}&region=us-east-1&scheme=http`,
    createBucket: async (bucket) => {
      const r = await fetch(`${endpoint}/${bucket}`, { method: "PUT" });
      if (!r.ok) throw new Error(`creating bucket ${bucket}: HTTP ${r.status}`);
    },
    download: (bucket, dir) => {
      // moto lets anyone write but only a signed request read (any key pair counts); curl signs
      const signed = ["--silent", "--fail", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", "nra-test:nra-test"];
      const list = execFileSync("curl", [...signed, `${endpoint}/${bucket}?list-type=2`], { encoding: "utf8" });
      const keys = [...list.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
      for (const k of keys) {
        mkdirSync(path.dirname(path.join(dir, k)), { recursive: true });
        execFileSync("curl", [...signed, "--output", path.join(dir, k), `${endpoint}/${bucket}/${k}`]);
      }
      return keys;
    },
    stop: () => stopChild(child),
  };
}
