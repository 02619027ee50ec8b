// The built check-image sub-action (dist/check-image) run as a runner runs a step: this machine as
// the image, tools as stand-ins. The same step from src/, in process: test/steps/check-image-step.test.ts.
import { describe, expect, it } from "vitest";
import { newJob, runStep, tempDir } from "../../scripts/lib/runner.mjs";
import { standInImage } from "../helpers/image-standin.js";

const dir = tempDir("nra-image-check-bundle-");

describe("check-image sub-action (built bundle; this machine as the image, tools as stand-ins)", () => {
  it("lists every check and fails the step on a missing one", async () => {
    const job = newJob({ PATH: `${standInImage(dir, "bundle", "nix-command", ["zstd"])}:/usr/bin:/bin`, SSL_CERT_FILE: "/nonexistent.crt", NIX_SSL_CERT_FILE: "" });
    const r = await runStep(job, "check-image");
    expect(r.code).toBe(1);
    expect(r.log).toContain("ok: nix is on PATH");
    expect(r.log).toContain("::error::image check failed: the CA bundle /nonexistent.crt is readable");
    expect(r.log).toContain("::error::flakes are not enabled in the image's nix.conf");
    expect(r.log).toContain("nix (Nix) 2.24.0");
    expect(r.log).toContain("image checks failed (see above)");
  });
});
