import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hookScript } from "../../src/push/prepare.js";
import { type Daemon, ensureUser, startDaemon, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { nixSatisfies, trivialDrv } from "../helpers/nix.js";
import { queuedOutputs, salt } from "../helpers/push.js";

// Why the method choice is what it is: a real daemon runs a client's post-build-hook only for a trusted
// client. So the action picks the hook through a daemon only for a client it trusts whose files it can
// see (daemon.test.ts: root and a daemon in this PID namespace get the hook, nixtest gets the diff);
// the other branches (a daemon in another container, unknown trust) are covered by chooseMethod's table.
describe("post-build-hook through a real nix-daemon", () => {
  let daemon: Daemon;
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-hookd-"));
  spawnSync("chmod", ["755", dir]);
  beforeAll(async () => {
    daemon = await startDaemon("trusted-users = root");
  });
  afterAll(async () => {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function buildWithHook(who: "root" | "nixtest"): { queue: string; out: string; err: string } {
    const user = who === "nixtest" ? ensureUser() : undefined;
    const sub = mkdtempSync(path.join(dir, `${who}-`));
    spawnSync("chmod", ["777", sub]);
    const queue = path.join(sub, "queue");
    writeFileSync(queue, "", { mode: 0o666 });
    spawnSync("chmod", ["666", queue]);
    const hook = path.join(sub, "hook.sh");
    writeFileSync(hook, hookScript("/bin/sh", queue), { mode: 0o755 });
    const conf = path.join(sub, "nix.conf");
    writeFileSync(conf, `post-build-hook = ${hook}\n`, { mode: 0o644 });
    const r = spawnSync("nix-build", ["--no-out-link", "-E", trivialDrv(`nra-hookd-${who}`, salt())], {
      env: { PATH: process.env.PATH, HOME: sub, NIX_CONFIG: `${TEST_NIX_CONFIG}\nsubstituters =`, NIX_USER_CONF_FILES: conf, ...daemon.clientEnv },
      uid: user?.uid,
      gid: user?.gid,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    return { queue: readFileSync(queue, "utf8"), out: r.stdout.trim(), err: r.stderr };
  }

  it("a trusted client's hook runs in the daemon and queues the build", () => {
    const { queue, out, err } = buildWithHook("root");
    expect(queuedOutputs(queue)).toEqual([out]);
    // Nix 2.8's client relays the daemon's "running post-build-hook" line; 2.26 and 2.34 do not, so
    // there the queue above is the only sign (and the proof) that the hook ran
    if (nixSatisfies("<2.26")) expect(err).toMatch(/running post-build-hook/);
    else expect(err).not.toMatch(/running post-build-hook/);
  });

  it("an untrusted client's hook is ignored by the daemon (so the action diffs the store instead)", () => {
    const { queue, err } = buildWithHook("nixtest");
    expect(queue).toBe("");
    expect(err).not.toMatch(/running post-build-hook/);
  });
});
