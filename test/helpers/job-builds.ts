import { spawn } from "node:child_process";
import { trivialDrv } from "../../scripts/lib/nix.mjs";
import type { Job } from "../../scripts/lib/runner.mjs";

/** nix-build in a later step of `job`, without blocking the test (so it can watch meanwhile); resolves with the output path. */
export function buildInStepAsync(job: Job, env: NodeJS.ProcessEnv, expr: string): Promise<string> {
  const argv = [...(job.wrap ?? []), "nix-build", "--no-out-link", "-E", expr];
  return new Promise((resolve, reject) => {
    const c = spawn(argv[0], argv.slice(1), { env, cwd: job.temp, ...(job.wrap ? {} : { uid: job.uid, gid: job.gid }), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => c.kill("SIGKILL"), 300_000);
    c.stdout.on("data", (d: Buffer) => (out += d.toString()));
    c.stderr.on("data", (d: Buffer) => (err += d.toString()));
    c.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim().split("\n").pop()!);
      else reject(new Error(`nix-build failed (${code}): ${err}`));
    });
  });
}

/** A derivation of `mb` MB of random bytes (incompressible, like most build outputs) that takes `seconds` longer to build. */
export function bigDrv(name: string, salt: string, mb: number, seconds: number): string {
  return trivialDrv(name, salt, `/usr/bin/head -c ${mb}M /dev/urandom > $out; /bin/sleep ${seconds}`);
}
