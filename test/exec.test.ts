import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { childEnv, killRunning, run, SECRET_FD_PATH } from "../src/exec.js";

describe("childEnv: the step's inputs never reach a child process", () => {
  it.each([
    ["INPUT_SIGNING-KEY", "name:c2VjcmV0", false],
    ["INPUT_ACCESS-TOKENS", "github.com=ghp_x", false],
    ["INPUT_NETRC", "machine x password y", false],
    ["INPUT_PUSH-TO", "file:///srv/cache", false],
    ["input_lowercase", "x", false],
    ["PATH", "/usr/bin", true],
    ["NIX_CONFIG", "substituters =", true],
    ["MY_INPUT_DIR", "/tmp", true],
    ["STATE_push-plan", "{}", true],
  ])("%s kept: %s", (name, value, kept) => {
    const env = childEnv({ [name]: value, HOME: "/root" });
    expect(name in env).toBe(kept);
    expect(env.HOME).toBe("/root");
  });

  it("defaults to process.env and does not change it", () => {
    process.env["INPUT_SIGNING-KEY"] = "name:c2VjcmV0";
    try {
      expect(childEnv()["INPUT_SIGNING-KEY"]).toBeUndefined();
      expect(childEnv().PATH).toBe(process.env.PATH);
      expect(process.env["INPUT_SIGNING-KEY"]).toBe("name:c2VjcmV0");
    } finally {
      delete process.env["INPUT_SIGNING-KEY"];
    }
  });
});

// /proc/self/environ shows the environment as exec gave it, names a shell would drop (with "-") included.
const environOf = "tr '\\0' '\\n' < /proc/$$/environ";

describe("run: children get the environment without INPUT_*", () => {
  for (const timeoutMs of [undefined, 10_000]) {
    it(`${timeoutMs === undefined ? "attached" : "detached (with a timeout)"}: INPUT_* are gone, the rest is there`, async () => {
      const env = { PATH: process.env.PATH, "INPUT_SIGNING-KEY": "name:c2VjcmV0", INPUT_NETRC: "machine x", KEEP_ME: "1" };
      const r = await run("sh", ["-c", environOf], { env, timeoutMs });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/^INPUT_/m);
      expect(r.stdout).not.toContain("c2VjcmV0");
      expect(r.stdout).toMatch(/^KEEP_ME=1$/m);
    });
  }
  it("(the probe sees names with a dash, so it would catch the signing key)", async () => {
    const r = await run("sh", ["-c", environOf], { env: { PATH: process.env.PATH, "A-B": "1" } });
    expect(r.stdout).toMatch(/^A-B=1$/m);
  });
});

/** The pid a command wrote to `file`, once it has (bounded: 10 s). */
async function pidIn(file: string): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const pid = existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : 0;
    if (pid > 0) return pid;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`no pid in ${file} after 10 s`);
}

/** Whether process `pid` exists and is not a zombie (killed, not yet reaped). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("killRunning: a cancelled step takes its detached commands with it", () => {
  it("kills the whole process group of a running command with a timeout, grandchildren included", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nra-exec-"));
    try {
      const pidFile = path.join(dir, "grandchild");
      // sh starts a grandchild that would sleep for a minute, names it, then waits
      const pending = run("sh", ["-c", `sleep 60 >/dev/null 2>&1 & echo $! > ${pidFile}; wait`], { timeoutMs: 60_000 });
      const grandchild = await pidIn(pidFile);
      expect(running(grandchild)).toBe(true);
      const killed = killRunning();
      expect(killed).toHaveLength(1);
      const r = await pending;
      // ended by the kill (SIGKILL: 128), not by its timeout
      expect(r).toMatchObject({ code: 128, timedOut: false });
      // the grandchild got the same SIGKILL: a moment for the kernel to finish it
      for (let i = 0; i < 50 && running(grandchild); i++) await new Promise((res) => setTimeout(res, 20));
      expect(running(grandchild)).toBe(false);
      expect(killRunning()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a command that ended is no longer tracked", async () => {
    await run("true", [], { timeoutMs: 5000 });
    expect(killRunning()).toEqual([]);
  });
});

describe("run with stdoutFile: output too large to hold goes to a file", () => {
  it("writes the command's stdout to the file (0600), keeps stderr, and reports the exit code", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nra-exec-"));
    try {
      const file = path.join(dir, "out");
      // 3 MiB: more than one pipe buffer, so a dropped chunk would show
      const r = await run("sh", ["-c", "head -c 3145728 /dev/zero | tr '\\0' x; echo oops >&2; exit 3"], { stdoutFile: file });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("oops\n");
      expect(statSync(file).size).toBe(3 * 1024 * 1024);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8").slice(0, 3)).toBe("xxx");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a file that cannot be opened is a failed command, not a throw", async () => {
    const r = await run("true", [], { stdoutFile: "/nonexistent-dir/out" });
    expect(r.code).toBe(126);
    expect(r.stderr).toContain("ENOENT");
  });
});

describe("run with `spool`: output goes to unlinked files, read once the command has ended", () => {
  /** Runs `f` with TMPDIR (where os.tmpdir() and so the spool files are) set to `dir`. */
  const withTmpdirAt = async (dir: string, f: () => Promise<void>) => {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      await f();
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  };
  /** The same with a fresh folder, removed afterwards. */
  const withTmpdir = async (f: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nra-spool-"));
    try {
      await withTmpdirAt(dir, () => f(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("the command writes to deleted files, not pipes; every line of stdout and stderr comes back, and no file is left", async () => {
    await withTmpdir(async (dir) => {
      // 20000 lines on each stream: more than a pipe holds, so a lost or reordered chunk would show
      const script = "ls -l /proc/self/fd/1 /proc/self/fd/2 </dev/null >&2; i=0; while [ $i -lt 20000 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done; exit 5";
      const r = await run("sh", ["-c", script], { spool: true, timeoutMs: 60_000 });
      expect(r.code).toBe(5);
      const lines = (t: string, p: string) => t.split("\n").filter((l) => l.startsWith(p));
      expect(lines(r.stdout, "out")).toEqual(Array.from({ length: 20000 }, (_, i) => `out${i}`));
      expect(lines(r.stderr, "err")).toEqual(Array.from({ length: 20000 }, (_, i) => `err${i}`));
      expect(r.stderr).toMatch(/\/proc\/self\/fd\/1 -> .*\(deleted\)/);
      expect(r.stderr).toMatch(/\/proc\/self\/fd\/2 -> .*\(deleted\)/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it("with `secret` too: the pipeline still hands the secret over on fd 3 and keeps the status", async () => {
    await withTmpdir(async () => {
      const r = await run("sh", ["-c", `cat ${SECRET_FD_PATH}; echo gone >&2; exit 2`], { spool: true, secret: "k1:c2VjcmV0" });
      expect(r).toMatchObject({ code: 2, stdout: "k1:c2VjcmV0", stderr: "gone\n" });
    });
  });

  it("a command killed by its timeout still returns what it wrote", async () => {
    await withTmpdir(async () => {
      const r = await run("sh", ["-c", "echo started >&2; sleep 30"], { spool: true, timeoutMs: 300 });
      expect(r.timedOut).toBe(true);
      expect(r.stderr).toBe("started\n");
    });
  });

  it("where no file can be made, node's pipes are used: the output still comes back", async () => {
    await withTmpdirAt("/nonexistent-nra-dir", async () => {
      const r = await run("sh", ["-c", "ls -l /proc/self/fd/2 </dev/null >&2; echo fine"], { spool: true });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("fine\n");
      // node's stdio pipes are socket pairs
      expect(r.stderr).toMatch(/\/proc\/self\/fd\/2 -> socket:/);
    });
  });
});

describe("run with `secret`: the command reads it from /dev/fd/3, a real pipe, and finds it nowhere else", () => {
  const secret = "k1:c2VjcmV0LWtleS1mb3ItdGhlLXBpcGU=";
  it("the command opens SECRET_FD_PATH like a file (as nix opens a key file) and reads the secret", async () => {
    const r = await run("sh", ["-c", `cat ${SECRET_FD_PATH}; echo; ls -l /proc/self/fd/3 </dev/null | grep -o 'pipe:'`], { secret });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${secret}\npipe:\n`);
  });
  it("is in neither the command's argv nor its environment, nor its parent's", async () => {
    const r = await run("sh", ["-c", "cat /proc/$$/cmdline /proc/$$/environ /proc/$PPID/cmdline /proc/$PPID/environ | tr '\\0' ' '; cat /dev/fd/3 >/dev/null"], { secret, timeoutMs: 10_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("/proc/$$/cmdline");
    expect(r.stdout).not.toContain("c2VjcmV0");
  });
  it("keeps the command's exit status, and a command that never reads the secret does not hang or crash the step", async () => {
    expect((await run("sh", ["-c", "exit 7"], { secret })).code).toBe(7);
    const big = "x".repeat(1024 * 1024); // more than a pipe holds: the writer sees the reader go away
    expect((await run("true", [], { secret: big, timeoutMs: 10_000 })).code).toBe(0);
  });
  it("a missing command still reads as exit 127", async () => {
    expect((await run("nra-no-such-command", [], { secret })).code).toBe(127);
  });
});
