import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseConfig } from "../../src/nix/config.js";
import { ignoredByDaemon } from "../../src/nix/trust.js";
import { cacheHandler, filesHandler, type Started, startServer } from "../../scripts/lib/http-server.mjs";
import { type Daemon, ensureUser, generateKey, type KeyPair, startDaemon, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { nixVersion, trivialDrv } from "../helpers/nix.js";
import { salt } from "../helpers/push.js";

// The daemon-trust warning against a real daemon: for each setting, an untrusted client sets it for a
// build through the daemon, and the test observes whether the build felt it. The warning
// (ignoredByDaemon) must name exactly the settings that had no effect, on the Nix under test.
// Substituters, keys and the netrc are set the way the job's nix.conf sets them (renderConf:
// extra-substituters, extra-trusted-public-keys, netrc-file), each case with a control that shows
// the observation can come out the other way.
const BASE: BaseConfig = { substituters: [], trustedPublicKeys: [], trustedSubstituters: [], trustedUsers: ["root"] };
/** What the action asks for, none of it: each case adds its one setting. */
const NOTHING = { substituters: [], trustedPublicKeys: [], extraConf: "", netrc: false, hook: false };

describe(`settings an untrusted client passes to a real nix-daemon (Nix ${nixVersion()})`, () => {
  const user = ensureUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-trust-"));
  chmodSync(dir, 0o777);
  const home = path.join(dir, "home");
  const cacheDir = path.join(dir, "cache");
  // the netrc's credentials: in the netrc file and in the server's check only, never in argv or env
  const login = "nra-trust";
  const password = `pw-${salt()}`;
  const netrc = path.join(dir, "netrc");
  let daemon: Daemon;
  /** A substituter the daemon's nix.conf does not list (an empty cache that counts requests)... */
  let stranger: Started;
  let strangerRequests = 0;
  /** ...one it lists in trusted-substituters (the same)... */
  let allowed: Started;
  let allowedRequests = 0;
  /** ...and the signed cache at cacheDir over HTTP behind Basic auth, in trusted-substituters too. */
  let guarded: Started;
  let authorizedRequests = 0;
  /** The daemon trusts this key; the client also trusts `clientKey`, which the daemon does not. */
  let daemonKey: KeyPair & { secretFile: string };
  let clientKey: KeyPair & { secretFile: string };
  beforeAll(async () => {
    mkdirSync(home);
    chownSync(home, user.uid, user.gid);
    writeFileSync(path.join(dir, "hook.sh"), `#!/bin/sh\ntouch ${path.join(dir, "hook-ran")}\n`, { mode: 0o755 });
    writeFileSync(netrc, `machine 127.0.0.1 login ${login} password ${password}\n`, { mode: 0o600 });
    chownSync(netrc, user.uid, user.gid);
    // a folder each: generateKey names the files in it alike
    daemonKey = generateKey("nra-trust-daemon", path.join(dir, "daemon-key"));
    clientKey = generateKey("nra-trust-client", path.join(dir, "client-key"));
    const empty = { "/nix-cache-info": "StoreDir: /nix/store\n" };
    stranger = await startServer(filesHandler(empty, { onRequest: () => strangerRequests++ }));
    allowed = await startServer(filesHandler(empty, { onRequest: () => allowedRequests++ }));
    const expected = `Basic ${Buffer.from(`${login}:${password}`).toString("base64")}`;
    const cache = cacheHandler(cacheDir);
    guarded = await startServer((req, res) => {
      if (req.headers.authorization !== expected) return void res.writeHead(401, { "www-authenticate": 'Basic realm="nra"' }).end();
      authorizedRequests++;
      cache(req, res);
    });
    daemon = await startDaemon(
      `trusted-users = root\ntrusted-substituters = ${allowed.origin} file://${cacheDir} ${guarded.origin}\ntrusted-public-keys = ${daemonKey.pub}`,
    );
  });
  afterAll(async () => {
    await daemon.stop();
    await Promise.all([stranger.stop(), allowed.stop(), guarded.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  type Result = { code: number | null; out: string; err: string };
  /**
   * A nix command through the daemon, with `--option name value` for each pair, as the untrusted
   * user (or as root, trusted, for a control). Not spawnSync: the caches it may ask are served by
   * this process, which must keep answering meanwhile.
   */
  function viaDaemon(cmd: string, args: string[], options: [string, string][], as: "user" | "root" = "user"): Promise<Result> {
    const child = spawn(cmd, [...options.flatMap(([n, v]) => ["--option", n, v]), ...args], {
      env: { PATH: process.env.PATH, HOME: as === "user" ? home : process.env.HOME, NIX_CONFIG: TEST_NIX_CONFIG, ...daemon.clientEnv },
      ...(as === "user" ? { uid: user.uid, gid: user.gid } : {}),
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, out: out.trim(), err })));
  }

  /** nix-build as the untrusted user through the daemon, with `--option name value`. */
  function buildAsUser(name: string, value: string, body: string): Promise<Result> {
    return viaDaemon("nix-build", ["--no-out-link", "-E", trivialDrv(`nra-trust-${name}`, salt(), body)], [[name, value]]);
  }

  /**
   * A store path that is in the cache at cacheDir, signed with `key`, and no longer in the store:
   * built, copied, deleted, so that only substitution can bring it back.
   */
  function onlyInCache(key: { secretFile: string }): string {
    return builtThenDeleted(key).out;
  }
  /** onlyInCache, with the derivation that builds the path (still in the store). */
  function builtThenDeleted(key: { secretFile: string }): { drv: string; out: string } {
    const env = { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG, NIX_REMOTE: "local" };
    // contents of its own: a file cache names NARs by their hash, and the fallback case corrupts its NAR
    const s = salt();
    const drv = execFileSync("nix-instantiate", ["-E", trivialDrv("nra-trust-cached", s, `echo ${s} > $out`)], { env, encoding: "utf8" }).trim();
    const out = execFileSync("nix-store", ["--realise", drv], { env, encoding: "utf8" }).trim();
    execFileSync("nix", ["copy", "--to", `file://${cacheDir}?secret-key=${key.secretFile}`, out], { env, stdio: "pipe" });
    execFileSync("nix-store", ["--delete", out], { env, stdio: "pipe" });
    return { drv, out };
  }
  const valid = (p: string): boolean =>
    spawnSync("nix-store", ["--check-validity", p], { env: { ...process.env, NIX_CONFIG: TEST_NIX_CONFIG, NIX_REMOTE: "local" } }).status === 0;

  const cases: { setting: string; value: string; body: string; tookEffect: (r: Result) => boolean }[] = [
    // the build's NIX_BUILD_CORES is the cores setting in effect (this machine has 2)
    { setting: "cores", value: "7", body: "echo $NIX_BUILD_CORES > $out", tookEffect: (r) => r.code === 0 && spawnSync("cat", [r.out], { encoding: "utf8" }).stdout.trim() === "7" },
    // max-jobs 0: no local build may start ("unable to start any build" up to 2.26, "local builds are disabled" in 2.34)
    { setting: "max-jobs", value: "0", body: "echo built > $out", tookEffect: (r) => r.code !== 0 && /unable to start any build|local builds are disabled \(max-jobs = 0\)/i.test(r.err) },
    // a builder silent for 4 s, or running 4 s, fails under a limit of 1 s
    { setting: "max-silent-time", value: "1", body: "/bin/sleep 4; echo built > $out", tookEffect: (r) => r.code !== 0 },
    { setting: "build-timeout", value: "1", body: "/bin/sleep 4; echo built > $out", tookEffect: (r) => r.code !== 0 },
    // a hook the daemon would run as root after the build: it leaves a file behind
    { setting: "post-build-hook", value: path.join(dir, "hook.sh"), body: "echo built > $out", tookEffect: () => existsSync(path.join(dir, "hook-ran")) },
    // a failed build's folder stays, and Nix says where (note: keeping build directory '…', "…" in 2.34)
    { setting: "keep-failed", value: "true", body: "exit 1", tookEffect: (r) => r.code !== 0 && keptBuildDir(r.err) },
  ];
  /** True when stderr names a kept build folder that exists (removed again here). */
  function keptBuildDir(stderr: string): boolean {
    const kept = stderr.match(/keeping build directory ['"]([^'"]+)['"]/)?.[1];
    if (!kept || !existsSync(kept)) return false;
    rmSync(kept, { recursive: true, force: true });
    return true;
  }
  /** Whether the extra-conf line `name = value` is named by the warning. */
  const namedExtraConf = (name: string, value: string): boolean =>
    ignoredByDaemon({ ...NOTHING, extraConf: `${name} = ${value}` }, BASE, user.name).some((i) => i.setting === `extra-conf ${name}`);

  for (const c of cases) {
    it(`${c.setting}: the warning names it exactly when the daemon ignores it`, async () => {
      const r = await buildAsUser(c.setting, c.value, c.body);
      const named = namedExtraConf(c.setting, c.value);
      expect(c.tookEffect(r), `named: ${named}; build: ${r.code} ${r.err}`).toBe(!named);
    });
  }

  for (const setting of ["substituters", "extra-substituters"]) {
    it(`${setting}: the daemon asks a client's substituter exactly when the warning does not name it`, async () => {
      for (const [server, count] of [[stranger, () => strangerRequests], [allowed, () => allowedRequests]] as const) {
        const before = count();
        const r = await buildAsUser(setting, server.origin, "echo built > $out");
        expect(r.code, r.err).toBe(0);
        const named = ignoredByDaemon({ ...NOTHING, substituters: [server.origin] }, { ...BASE, trustedSubstituters: [allowed.origin] }, user.name)
          .some((i) => i.setting.startsWith("substituters "));
        expect(count() > before, `${server.origin} named: ${named}`).toBe(!named);
      }
      // the control: the daemon asked the one in trusted-substituters, so not asking the other is the daemon's choice
      expect(allowedRequests).toBeGreaterThan(0);
    });
  }

  it("trusted-public-keys: the daemon accepts a client's key exactly when the warning does not name it", async () => {
    const base = { ...BASE, trustedSubstituters: [`file://${cacheDir}`], trustedPublicKeys: [daemonKey.pub] };
    const substitute = (p: string): Promise<Result> =>
      viaDaemon("nix-store", ["--realise", p], [["extra-substituters", `file://${cacheDir}`], ["extra-trusted-public-keys", clientKey.pub]]);
    // the control: a path signed by the daemon's own key comes from the cache for this client
    const byDaemonKey = onlyInCache(daemonKey);
    const control = await substitute(byDaemonKey);
    expect(control.code, control.err).toBe(0);
    expect(valid(byDaemonKey)).toBe(true);
    const byClientKey = onlyInCache(clientKey);
    const r = await substitute(byClientKey);
    const named = ignoredByDaemon({ ...NOTHING, substituters: [`file://${cacheDir}`], trustedPublicKeys: [clientKey.pub] }, base, user.name)
      .some((i) => i.setting.startsWith("trusted-public-keys "));
    expect(r.code === 0 && valid(byClientKey), `named: ${named}; ${r.err}`).toBe(!named);
  });

  it("netrc-file: the daemon sends a client's credentials exactly when the warning names no netrc", async () => {
    const options: [string, string][] = [["extra-substituters", guarded.origin], ["netrc-file", netrc], ["extra-trusted-public-keys", clientKey.pub]];
    // the control: a trusted client's netrc-file reaches the server (root, through the same daemon)
    const before = authorizedRequests;
    const root = await viaDaemon("nix-store", ["--realise", onlyInCache(clientKey)], options, "root");
    expect(root.code, root.err).toBe(0);
    expect(authorizedRequests).toBeGreaterThan(before);
    const between = authorizedRequests;
    await viaDaemon("nix-store", ["--realise", onlyInCache(clientKey)], options);
    const named = ignoredByDaemon({ ...NOTHING, substituters: [guarded.origin], netrc: true }, { ...BASE, trustedSubstituters: [guarded.origin] }, user.name)
      .some((i) => i.setting === "netrc-file");
    expect(authorizedRequests > between, `named: ${named}`).toBe(!named);
  });

  it("substitute: the daemon skips the substituters for this client exactly when the warning does not name it", async () => {
    const ask = async (substitute: string): Promise<boolean> => {
      const before = allowedRequests;
      const r = await viaDaemon("nix-build", ["--no-out-link", "-E", trivialDrv("nra-trust-substitute", salt())], [["extra-substituters", allowed.origin], ["substitute", substitute]]);
      expect(r.code, r.err).toBe(0);
      return allowedRequests > before;
    };
    // the control: with substitute = true the daemon asks the (allowed) substituter
    expect(await ask("true")).toBe(true);
    expect(!(await ask("false")), `named: ${namedExtraConf("substitute", "false")}`).toBe(!namedExtraConf("substitute", "false"));
  });

  it("keep-going: the daemon finishes the other builds after a failure exactly when the warning does not name it", async () => {
    // two builds at once (max-jobs 2): one fails at once, the other finishes 4 s later and leaves a file
    const run = async (keepGoing: string, as: "user" | "root" = "user"): Promise<boolean> => {
      const done = path.join(dir, `other-done-${salt()}`);
      const expr = `[ (${trivialDrv("nra-trust-fails", salt(), "exit 1")}) (${trivialDrv("nra-trust-other", salt(), `/bin/sleep 4; echo done > ${done}; echo > $out`)}) ]`;
      const r = await viaDaemon("nix-build", ["--no-out-link", "-E", expr], [["max-jobs", "2"], ["keep-going", keepGoing]], as);
      expect(r.code).not.toBe(0);
      return existsSync(done);
    };
    // the controls: without keep-going the failure stops the other build, with it (trusted) it does not
    expect(await run("false")).toBe(false);
    expect(await run("true", "root")).toBe(true);
    expect(await run("true"), `named: ${namedExtraConf("keep-going", "true")}`).toBe(!namedExtraConf("keep-going", "true"));
  });

  it("fallback: the daemon builds when a substitute fails exactly when the warning does not name it", async () => {
    // a narinfo signed by the daemon's key whose NAR is garbage: substituting fails, building works
    // (a missing NAR would not do: Nix takes that as "not in this cache" and builds without fallback)
    const { drv, out } = builtThenDeleted(daemonKey);
    const narinfo = readFileSync(path.join(cacheDir, `${path.basename(out).slice(0, 32)}.narinfo`), "utf8");
    writeFileSync(path.join(cacheDir, narinfo.match(/^URL: (.*)$/m)?.[1] ?? "no URL line"), "not a NAR\n");
    const realise = (fallback: string): Promise<Result> =>
      viaDaemon("nix-store", ["--realise", drv], [["extra-substituters", `file://${cacheDir}`], ["fallback", fallback]]);
    // the control: without fallback the failed substitute fails the realisation
    const control = await realise("false");
    expect(control.code, control.err).not.toBe(0);
    const r = await realise("true");
    expect(r.code === 0 && valid(out), `named: ${namedExtraConf("fallback", "true")}; ${r.err}`).toBe(!namedExtraConf("fallback", "true"));
  });
});
