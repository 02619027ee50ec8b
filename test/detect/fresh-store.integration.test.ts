import { chownSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Daemon, ensureUser, generateKey, startDaemon, TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { trivialDrv, underMounts } from "../helpers/nix.js";
import { buildInStep, inStep, testNixEnv } from "../helpers/push.js";
import { laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

// The built bundle against a Nix store that was never used: in a private mount namespace, an empty
// folder stands for /nix (or /nix/var), as on a machine right after `apt-get install nix-bin` or in a
// job image whose Nix never ran. Detection must take it for what Nix takes it for, and a later step's
// nix must then work. Also the stores a job must not write: read-only, or another user's.

const folders: string[] = [];
function emptyFolder(owner?: { uid: number; gid: number }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-fresh-"));
  chmodSync(dir, 0o755);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of folders) rmSync(d, { recursive: true, force: true });
});

const nothingWritten = (job: ReturnType<typeof newJob>) => {
  for (const f of [job.files.env, job.files.output, job.files.path]) expect(readFileSync(f, "utf8")).toBe("");
  expect(existsSync(path.join(job.temp, "nix-runner-action"))).toBe(false);
};

describe("a store that was never used", () => {
  const user = ensureUser();
  const salt = `${Date.now()}-${process.pid}`;

  // a non-root user's empty /nix: Nix 2.26 and 2.34 would take it for no store and use a chroot store
  // in ~/.local/share/nix/root, unless /nix/var/nix exists; the main step creates it (2.8 does itself)
  it.each([
    ["root, no /nix at all (right after apt-get install nix-bin)", "/nix", false],
    ["root, /nix/store present but no /nix/var (an image whose Nix never ran)", "/nix/var", false],
    ["a non-root user who owns an empty /nix (single-user Nix of that user)", "/nix", true],
  ] as const)("%s: image mode, and a later step builds, and the post step pushes", async (_name, mountPoint, asUser) => {
    const owner = asUser ? user : undefined;
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG }, owner);
    job.wrap = underMounts({ binds: [[emptyFolder(owner), mountPoint]], user: owner });
    const key = generateKey(`fresh-${salt}`);
    const cache = emptyFolder(owner);
    const inputs = { "push-to": `file://${cache}`, "signing-key": key.secret, "trusted-public-keys": key.pub };
    const r = await runStep(job, "main", inputs);
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ environment: "image", installed: "false" });
    expect(r.log).not.toContain("::warning::");
    if (asUser) expect(r.log).toContain("created /nix/var/nix: the store is this user's");

    const out = buildInStep(job, laterStepEnv(job), trivialDrv(`fresh-${asUser ? "user" : "root"}`, `${salt}-${mountPoint}`));
    expect(out).toMatch(/^\/nix\/store\/[a-z0-9]{32}-fresh-/);
    // the store it built into is the namespace's fresh one, registered there
    expect(inStep(job, laterStepEnv(job), "nix-store", ["-q", "--hash", out])).toMatch(/^sha256:/);

    const post = await runStep(job, "post", inputs);
    expect(post.code, post.log).toBe(0);
    expect(post.log).not.toContain("::warning::");
    expect(post.log).toMatch(/push: hook method/);
    const verify = inStep(job, testNixEnv({ HOME: job.env.HOME }), "nix", [
      "store", "verify", "--store", `file://${cache}`, "--trusted-public-keys", key.pub, "-r", out,
    ]);
    expect(verify).toBe("");
  });

  it("a non-root user and a root-owned empty /nix: fails naming what is missing and the fix, writes nothing", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG }, user);
    job.wrap = underMounts({ binds: [[emptyFolder(), "/nix"]], user });
    const r = await runStep(job, "main");
    expect(r.code).toBe(1);
    expect(r.log).toMatch(
      /::error::Nix cannot reach its store: the store's state directory \/nix\/var\/nix does not exist and this user cannot create it, and there is no daemon socket at \/nix\/var\/nix\/daemon-socket\/socket: start nix-daemon/,
    );
    nothingWritten(job);
    const post = await runStep(job, "post");
    expect(post.code, post.log).toBe(0);
  });
});

describe("a store the job cannot write", () => {
  let daemon: Daemon;
  beforeAll(async () => {
    daemon = await startDaemon("trusted-users = root");
    // a used store for these cases: the database exists, as on the host that shares it
    inStep(newJob(), { ...testNixEnv(), ...daemon.clientEnv }, "nix-store", ["--init"]);
    inStep(newJob(), testNixEnv(), "nix-store", ["--init"]);
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it("a read-only /nix/store and no daemon: fails naming the read-only store, writes nothing", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG });
    job.wrap = underMounts({ readOnly: ["/nix/store"] });
    const r = await runStep(job, "main");
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/::error::Nix cannot reach its store: the Nix store \/nix\/store is read-only or belongs to another user, and there is no daemon socket/);
    nothingWritten(job);
  });

  it("the host's store and database read-only with its daemon's socket (the shared-store container): native, through the daemon", async () => {
    const job = newJob({ NIX_CONFIG: TEST_NIX_CONFIG, NIX_DAEMON_SOCKET_PATH: daemon.socket, NIX_CONF_DIR: daemon.clientEnv.NIX_CONF_DIR });
    job.wrap = underMounts({ readOnly: ["/nix/store", "/nix/var/nix/db"] });
    const r = await runStep(job, "main");
    expect(r.code, r.log).toBe(0);
    expect(r.outputs.environment).toBe("native");
    // Nix alone would open the store directly (its state dir is writable) and fail on the read-only database
    expect(r.log).toContain("NIX_REMOTE=daemon for this job's steps");
    expect(laterStepEnv(job).NIX_REMOTE).toBe("daemon");
    const out = buildInStep(job, laterStepEnv(job), trivialDrv("through-host-daemon", `${Date.now()}-${process.pid}`));
    expect(existsSync(out)).toBe(true);
  });
});
