// Runs the built action on this machine exactly as a runner runs a job that uses it: the main step,
// a later step that builds something small with Nix, then the post step that pushes it. Inputs come
// from the environment as a runner passes them (INPUT_*); the defaults push to a file:// cache in
// .local-run/cache, signed with a key made once in .local-run/keys.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnvFile } from "./lib/env-file.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = path.join(root, ".local-run");
const keys = path.join(work, "keys");
const cache = path.join(work, "cache");
mkdirSync(keys, { recursive: true });
mkdirSync(cache, { recursive: true });
if (!existsSync(path.join(keys, "secret"))) {
  execFileSync("nix-store", ["--generate-binary-cache-key", "local-run-1", path.join(keys, "secret"), path.join(keys, "public")]);
}
const publicKey = readFileSync(path.join(keys, "public"), "utf8").trim();

const jobs = path.join(work, "jobs");
mkdirSync(jobs, { recursive: true });
const temp = mkdtempSync(path.join(jobs, "job-"));
const files = Object.fromEntries(
  ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"].map((k) => {
    const f = path.join(temp, k.toLowerCase());
    writeFileSync(f, "");
    return [k, f];
  }),
);

// Debian's nix-bin as root has no build users and no working sandbox; a runner image's Nix sets these itself.
const jobEnv = {
  ...process.env,
  NIX_CONFIG: [process.env.NIX_CONFIG, "build-users-group =", "sandbox = false"].filter(Boolean).join("\n"),
  RUNNER_TEMP: temp,
  GITHUB_WORKSPACE: root,
  GITHUB_ACTIONS: "true",
};
const inputs = {
  "INPUT_PUSH-TO": process.env["INPUT_PUSH-TO"] ?? `file://${cache}`,
  "INPUT_SIGNING-KEY": process.env["INPUT_SIGNING-KEY"] ?? readFileSync(path.join(keys, "secret"), "utf8").trim(),
  "INPUT_TRUSTED-PUBLIC-KEYS": process.env["INPUT_TRUSTED-PUBLIC-KEYS"] ?? publicKey,
};

function stepEnv(extra = {}) {
  const env = { ...jobEnv, ...parseEnvFile(readFileSync(files.GITHUB_ENV, "utf8")), ...files, ...extra };
  const added = readFileSync(files.GITHUB_PATH, "utf8").split("\n").filter(Boolean).reverse();
  if (added.length) env.PATH = [...added, env.PATH].join(":");
  return env;
}

function step(title, cmd, args, env) {
  console.log(`\n=== ${title}`);
  // A runner reads ::add-mask:: and never logs it; do the same so secrets stay off the terminal.
  const r = spawnSync(cmd, args, { env, cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  const out = `${r.stdout}${r.stderr}`.split("\n").filter((l) => !l.startsWith("::add-mask::"));
  console.log(out.join("\n").trimEnd());
  if (r.status !== 0) {
    console.error(`${title} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

step("main step (dist/main/index.js)", process.execPath, [path.join(root, "dist/main/index.js")], stepEnv(inputs));
console.log(`\noutputs: ${JSON.stringify(parseEnvFile(readFileSync(files.GITHUB_OUTPUT, "utf8")))}`);

const salt = new Date().toISOString();
const expr = `derivation { name = "local-run-hello"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo built by the local run at ${salt} > $out" ]; }`;
// --offline: the derivation needs nothing from a cache, and this machine may have no network.
step("a later step: nix build", "nix", ["build", "--offline", "--no-link", "--impure", "--expr", expr], stepEnv());

const state = Object.fromEntries(Object.entries(parseEnvFile(readFileSync(files.GITHUB_STATE, "utf8"))).map(([k, v]) => [`STATE_${k}`, v]));
step("post step (dist/post/index.js)", process.execPath, [path.join(root, "dist/post/index.js")], stepEnv({ ...inputs, ...state }));

const summary = readFileSync(files.GITHUB_STEP_SUMMARY, "utf8").trim();
if (summary) console.log(`\n=== job summary\n${summary}`);
const narinfos = existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith(".narinfo")).length : 0;
console.log(`\ncache ${inputs["INPUT_PUSH-TO"]}: ${narinfos} narinfo files; public key ${publicKey}`);
