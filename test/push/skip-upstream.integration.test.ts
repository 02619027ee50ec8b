import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { cachedPaths, generateKey, narinfos } from "../../scripts/lib/nix.mjs";
import { cacheHandler, type CacheServer, startCache, startServer } from "../../scripts/lib/http-server.mjs";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { brokenNarinfos, buildInStep, filesContaining, JOB_NIX_CONFIG, nix, salt, testNixEnv } from "../helpers/push.js";

// A stand-in for cache.nixos.org: a file:// cache of paths signed by an "upstream" key, which the job
// substitutes its dependencies from. With skip-upstream naming that key, the team's cache receives
// only the job's own output; a consumer reading from both substitutes it, and the team cache's
// signatures verify. Without it, the whole closure goes, as it always did.
const tmp = mkdtempSync(path.join(os.tmpdir(), "nra-skipup-"));
const jobs: Job[] = [];
const servers: CacheServer[] = [];
const teamKey = generateKey(`nra-team-${salt()}`);
const upKeyName = `nra-upstream-${salt()}-1`;
const upKey = generateKey(upKeyName, path.join(tmp, "upkey"));

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});
afterAll(() => {
  for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

interface Upstream {
  dir: string;
  url: string;
  /** The upstream's two paths (base → lib → …) and the expression of the top one. */
  paths: string[];
  libExpr: string;
}

/**
 * Builds base and lib (lib refers to base) in the test's store, signs them with the upstream key,
 * puts them in a file:// cache and deletes them here: the job gets them by substitution, signatures
 * and all, as from cache.nixos.org.
 */
function upstreamCache(s: string): Upstream {
  const dir = path.join(tmp, `upstream-${s}`);
  const baseExpr = trivialDrv("nra-up-base", s, "echo base > $out");
  const libExpr = `let base = ${baseExpr}; in ${trivialDrv("nra-up-lib", s, "echo ${base} > $out", "base = base;")}`;
  const env = testNixEnv({ NIX_CONFIG: `${JOB_NIX_CONFIG}\nexperimental-features = nix-command` });
  const built = spawnSync("nix-build", ["--no-out-link", "-E", libExpr], { env, encoding: "utf8" });
  const lib = built.stdout.trim();
  expect(lib, built.stderr).toMatch(/^\/nix\/store\//);
  const closure = nix(["path-info", "-r", lib], env).out.trim().split("\n");
  expect(closure).toHaveLength(2);
  expect(nix(["store", "sign", "--key-file", upKey.secretFile!, "-r", lib], env).code).toBe(0);
  expect(nix(["copy", "--to", `file://${dir}`, lib], env).code).toBe(0);
  expect(nix(["store", "delete", ...closure], env).code).toBe(0);
  return { dir, url: `file://${dir}`, paths: closure, libExpr };
}

/** A job that substitutes from `up` and builds an app referring to its lib; main, the build, post. */
async function jobWith(up: Upstream, inputs: Record<string, string>, s: string): Promise<{ job: Job; app: string; post: Awaited<ReturnType<typeof runStep>> }> {
  const job = newJob({ NIX_CONFIG: `${JOB_NIX_CONFIG}\nsubstituters = ${up.url}\ntrusted-public-keys = ${upKey.pub}` });
  jobs.push(job);
  const main = await runStep(job, "main", inputs);
  expect(main.code, main.log).toBe(0);
  const appExpr = `let lib = ${up.libExpr}; in ${trivialDrv("nra-app", s, "echo ${lib} > $out", "lib = lib;")}`;
  const app = buildInStep(job, laterStepEnv(job), appExpr);
  const post = await runStep(job, "post", inputs);
  expect(post.code, post.log).toBe(0);
  expect(post.log).not.toMatch(/::warning::|::error::/);
  return { job, app, post };
}

/** Builds `paths` in a fresh store that substitutes only from `substituters` and trusts `keys`. */
function consume(substituters: string[], keys: string[], paths: string[]): { code: number; err: string } {
  const root = mkdtempSync(path.join(tmp, "consumer-"));
  const r = nix(["build", "--no-link", "--store", root, "--substituters", substituters.join(" "), "--trusted-public-keys", keys.join(" "), ...paths], testNixEnv());
  return { code: r.code, err: r.err };
}

describe.each([
  ["post only", "false"],
  ["with the background pusher", "true"],
])("skip-upstream (%s)", (_, duringBuild) => {
  it("file:// push-to: the team cache gets the job's output only; a consumer of it plus the upstream gets everything", async () => {
    const s = salt();
    const up = upstreamCache(s);
    const team = path.join(tmp, `team-${s}`);
    const inputs = { "push-to": `file://${team}`, "signing-key": teamKey.secret, "push-during-build": duringBuild, "skip-upstream": `${upKeyName}=${up.url}` };
    const { job, app, post } = await jobWith(up, inputs, s);
    expect(cachedPaths(team, [app])).toEqual([app]);
    expect(cachedPaths(team, up.paths)).toEqual([]);
    expect(narinfos(team)).toHaveLength(1);
    expect(brokenNarinfos(team)).toEqual([]);
    expect(readFileSync(job.files.summary, "utf8")).toMatch(/2 path\(s\) \(\d+ NAR bytes\) left out: served by file:\/\//);
    expect(post.log).toMatch(/skip-upstream/);

    expect(consume([`file://${team}`], [teamKey.pub], [app]).code).not.toBe(0);
    const both = consume([`file://${team}`, up.url], [teamKey.pub, upKey.pub], [app]);
    expect(both.code, both.err).toBe(0);
    expect(nix(["store", "verify", "--store", `file://${team}`, "--trusted-public-keys", teamKey.pub, app]).code).toBe(0);
    expect(filesContaining(job.temp, teamKey.secret.split(":")[1])).toEqual([]);
  });

  it("http:// push-to: the same through the front, which forwards to the cache", async () => {
    const s = salt();
    const up = upstreamCache(s);
    const cache = await startCache(path.join(tmp, `teamhttp-${s}`));
    servers.push(cache);
    const inputs = { "push-to": cache.url, "signing-key": teamKey.secret, "push-during-build": duringBuild, "skip-upstream": `${upKeyName}=${up.url}` };
    const { app } = await jobWith(up, inputs, s);
    expect(cachedPaths(cache.dir, [app, ...up.paths])).toEqual([app]);
    expect(brokenNarinfos(cache.dir)).toEqual([]);
    const both = consume([cache.url, up.url], [teamKey.pub, upKey.pub], [app]);
    expect(both.code, both.err).toBe(0);
    expect(nix(["store", "verify", "--store", cache.url, "--trusted-public-keys", teamKey.pub, app]).code).toBe(0);
  });
});

describe("skip-upstream with a cache that needs a login", () => {
  it("the front sends the netrc input's credentials for push-to's host; they reach no log and no file", async () => {
    const s = salt();
    const up = upstreamCache(s);
    const dir = path.join(tmp, `login-${s}`);
    const password = `pw-${s}`;
    const want = `Basic ${Buffer.from(`ci:${password}`).toString("base64")}`;
    const refused: string[] = [];
    const serve = cacheHandler(dir);
    const server = await startServer((req, res) => {
      if (req.headers.authorization !== want) {
        refused.push(`${req.method} ${req.url}`);
        return void res.writeHead(401).end();
      }
      serve(req, res);
    });
    servers.push({ ...server, url: server.origin, dir } as unknown as CacheServer);
    const inputs = {
      "push-to": server.origin,
      "signing-key": teamKey.secret,
      "push-during-build": "true",
      "skip-upstream": `${upKeyName}=${up.url}`,
      netrc: `machine 127.0.0.1 login ci password ${password}\n`,
    };
    const { job, app, post } = await jobWith(up, inputs, s);
    expect(refused).toEqual([]);
    expect(cachedPaths(dir, [app, ...up.paths])).toEqual([app]);
    expect(post.log).not.toContain(password);
    expect(filesContaining(job.temp, password)).toEqual([]);
  });
});

describe("skip-upstream off (the default)", () => {
  it("pushes the whole closure, and the summary says what the job's substituters also serve and which entry would skip it", async () => {
    const s = salt();
    const up = upstreamCache(s);
    const team = path.join(tmp, `whole-${s}`);
    const inputs = { "push-to": `file://${team}`, "signing-key": teamKey.secret, "push-during-build": "false" };
    const { job, app } = await jobWith(up, inputs, s);
    expect(cachedPaths(team, [app, ...up.paths])).toEqual([app, ...up.paths]);
    expect(consume([`file://${team}`], [teamKey.pub, upKey.pub], [app]).code).toBe(0);
    const summary = readFileSync(job.files.summary, "utf8");
    expect(summary).toMatch(/2 path\(s\) \(\d+ NAR bytes\) of this push are also served by the job's substituters/);
    expect(summary).toContain(`${upKeyName}=${up.url}`);
  });
});
