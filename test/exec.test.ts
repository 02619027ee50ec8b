import { describe, expect, it } from "vitest";
import { childEnv, run } from "../src/exec.js";

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
