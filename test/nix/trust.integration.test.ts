import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseConfig } from "../../src/nix/config.js";
import { ignoredByDaemon } from "../../src/nix/trust.js";
import { type Daemon, ensureUser, startDaemon, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { nixVersion, trivialDrv } from "../helpers/nix.js";
import { salt } from "../helpers/push.js";

// The daemon-trust warning against a real daemon: for each setting, an untrusted client sets it for a
// build through the daemon, and the test observes whether the build felt it. The warning
// (ignoredByDaemon) must name exactly the settings that had no effect, on the Nix under test.
const BASE: BaseConfig = { substituters: [], trustedPublicKeys: [], trustedSubstituters: [], trustedUsers: ["root"] };

describe(`settings an untrusted client passes to a real nix-daemon (Nix ${nixVersion()})`, () => {
  const user = ensureUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-trust-"));
  chmodSync(dir, 0o777);
  const home = path.join(dir, "home");
  let daemon: Daemon;
  let server: http.Server;
  let cacheUrl = "";
  let cacheRequests = 0;
  beforeAll(async () => {
    mkdirSync(home);
    chownSync(home, user.uid, user.gid);
    writeFileSync(path.join(dir, "hook.sh"), `#!/bin/sh\ntouch ${path.join(dir, "hook-ran")}\n`, { mode: 0o755 });
    daemon = await startDaemon("trusted-users = root");
    server = http.createServer((_req, res) => {
      cacheRequests++;
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cacheUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await daemon.stop();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** nix-build as the untrusted user through the daemon, with `--option name value`. */
  function buildAsUser(name: string, value: string, body: string): { code: number | null; out: string; err: string } {
    const r = spawnSync("nix-build", ["--no-out-link", "--option", name, value, "-E", trivialDrv(`nra-trust-${name}`, salt(), body)], {
      env: { PATH: process.env.PATH, HOME: home, NIX_CONFIG: TEST_NIX_CONFIG, ...daemon.clientEnv },
      uid: user.uid,
      gid: user.gid,
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout.trim(), err: r.stderr };
  }

  const cases: { setting: string; value: string; body: string; tookEffect: (r: ReturnType<typeof buildAsUser>) => boolean }[] = [
    // the build's NIX_BUILD_CORES is the cores setting in effect (this machine has 2)
    { setting: "cores", value: "7", body: "echo $NIX_BUILD_CORES > $out", tookEffect: (r) => r.code === 0 && spawnSync("cat", [r.out], { encoding: "utf8" }).stdout.trim() === "7" },
    // max-jobs 0: no local build may start ("unable to start any build" up to 2.26, "local builds are disabled" in 2.34)
    { setting: "max-jobs", value: "0", body: "echo built > $out", tookEffect: (r) => r.code !== 0 && /unable to start any build|local builds are disabled \(max-jobs = 0\)/i.test(r.err) },
    // a builder silent for 4 s, or running 4 s, fails under a limit of 1 s
    { setting: "max-silent-time", value: "1", body: "/bin/sleep 4; echo built > $out", tookEffect: (r) => r.code !== 0 },
    { setting: "build-timeout", value: "1", body: "/bin/sleep 4; echo built > $out", tookEffect: (r) => r.code !== 0 },
    // a hook the daemon would run as root after the build: it leaves a file behind
    { setting: "post-build-hook", value: path.join(dir, "hook.sh"), body: "echo built > $out", tookEffect: () => existsSync(path.join(dir, "hook-ran")) },
  ];

  for (const c of cases) {
    it(`${c.setting}: the warning names it exactly when the daemon ignores it`, () => {
      const r = buildAsUser(c.setting, c.value, c.body);
      const named = ignoredByDaemon({ substituters: [], trustedPublicKeys: [], extraConf: `${c.setting} = ${c.value}`, netrc: false, hook: false }, BASE, user.name)
        .some((i) => i.setting === `extra-conf ${c.setting}`);
      expect(c.tookEffect(r), `named: ${named}; build: ${r.code} ${r.err}`).toBe(!named);
    });
  }

  it("substituters: the daemon asks a client's substituter only when the warning does not name it", () => {
    const before = cacheRequests;
    const r = buildAsUser("substituters", cacheUrl, "echo built > $out");
    expect(r.code, r.err).toBe(0);
    const asked = cacheRequests > before;
    const named = ignoredByDaemon({ substituters: [cacheUrl], trustedPublicKeys: [], extraConf: "", netrc: false, hook: false }, BASE, user.name)
      .some((i) => i.setting.startsWith("substituters "));
    expect(asked).toBe(!named);
  });
});
