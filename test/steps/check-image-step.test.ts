// The check-image sub-action's step (src/steps/check-image-step.ts) run in process from the sources
// by the step-io fixture: this machine as the image, PATH only the stand-ins of its tools. The built
// bundle: test/publish/image-check.bundle.test.ts.
import { describe, expect, it } from "vitest";
import { newJob, tempDir } from "../../scripts/lib/runner.mjs";
import { standInImage } from "../helpers/image-standin.js";
import { runInProcess } from "../helpers/step-io.js";

const dir = tempDir("nra-check-image-step-");

describe("check-image sub-action (from src, in process; tools as stand-ins)", () => {
  it("lists every check and fails the step on a missing one, counting the failures", async () => {
    const job = newJob({ PATH: standInImage(dir, "lacking", "nix-command", ["zstd"]), SSL_CERT_FILE: "/nonexistent.crt", NIX_SSL_CERT_FILE: "" });
    const r = await runInProcess(job, "check-image");
    expect(r.code).toBe(1);
    expect(r.log).toContain("ok: nix is on PATH");
    expect(r.log).toContain("::error::image check failed: zstd is on PATH");
    expect(r.log).toContain("::error::image check failed: the CA bundle /nonexistent.crt is readable");
    expect(r.log).toContain("::error::flakes are not enabled in the image's nix.conf");
    expect(r.log).toContain("nix (Nix) 2.24.0");
    const failed = r.log.split("\n").filter((l) => l.startsWith("::error::") && !l.includes("image checks failed")).length;
    expect(r.log).toContain(`::error::${failed} image checks failed (see above)`);
  });

  it("without nix: its checks fail, no version line, the step fails", async () => {
    const job = newJob({ PATH: standInImage(dir, "no-nix", "flakes", ["nix"]), SSL_CERT_FILE: "/etc/hostname" });
    const r = await runInProcess(job, "check-image");
    expect(r.code).toBe(1);
    expect(r.log).toContain("::error::image check failed: nix is on PATH");
    expect(r.log).toContain("::error::image check failed: nix evaluates 1 + 1");
    expect(r.log).not.toContain("nix (Nix)");
  });
});
