import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFailure, errorLine, failureHint } from "../../src/push/report.js";
import { ROOT } from "../../scripts/lib/runner.mjs";
import { type PushScheme, pushTarget } from "../../src/push-target.js";

// The classifier against what each Nix version really said for each fault (recorded against local
// servers by scripts/record-nix-faults.mjs; re-record with it when a version is added).
const DIR = path.join(ROOT, "test/fixtures/nix-errors");

/** Per fault: retried or not, and the hint the user gets (undefined: none). */
const EXPECTED: Record<string, { failure: "permanent" | "transient"; hint?: RegExp }> = {
  "connection-refused": { failure: "transient" },
  "http-500": { failure: "transient" },
  "http-502": { failure: "transient" },
  "stalled-timeout": { failure: "transient" },
  "http-401": { failure: "permanent" },
  "http-403": { failure: "permanent" },
  "signature-refused": { failure: "permanent", hint: /trusted-public-keys/ },
  "path-gone": { failure: "permanent" },
  "s3-unsupported": { failure: "permanent", hint: /built without S3 support/ },
  "s3-missing-bucket": { failure: "permanent", hint: /bucket does not exist/ },
  "s3-credentials-refused": { failure: "permanent", hint: /S3 server refused.*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.*AWS_PROFILE.*without AWS authentication.*sends no credentials/ },
};
/**
 * The scheme of the store each fault pushed to, as the hint sees it (push-to's, PushTarget's):
 * scripts/record-nix-faults.mjs's URLs, but for the signature refused by a local store standing in
 * for the ssh store a user pushes to.
 */
const S3 = pushTarget("s3://nra-refused?endpoint=127.0.0.1:9000&region=us-east-1&scheme=http").scheme;
const HTTP = pushTarget("http://127.0.0.1:9000").scheme;
const schemeOf = (fault: string): PushScheme => (fault.startsWith("s3-") ? S3 : fault === "signature-refused" ? "ssh-ng:" : fault === "path-gone" ? "file:" : HTTP);
/** Debian's 2.8 answers a 401/403 on nix-cache-info with "does not appear to be a binary cache". */
const NOT_A_CACHE_HINT = /without a Nix cache there.*netrc/;

const versions = readdirSync(DIR).sort();

describe("fault recordings of every Nix version", () => {
  it("are there for the three versions the matrix runs, each with every fault", () => {
    expect(versions).toEqual(["2.26.3", "2.34.8", "2.8.0"]);
    const common = ["connection-refused", "http-401", "http-403", "http-500", "http-502", "path-gone", "signature-refused", "stalled-timeout"];
    for (const v of versions) {
      const faults = readdirSync(path.join(DIR, v)).map((f) => f.replace(/\.txt$/, ""));
      // S3 faults per version: a missing bucket and a refusing one where Nix has S3, the URL refused where it does not
      expect(faults.sort(), v).toEqual([...common, ...(v === "2.34.8" ? ["s3-credentials-refused", "s3-missing-bucket"] : ["s3-unsupported"])].sort());
    }
  });

  it("gives the S3 credentials hint only for a push to s3://: Nix 2.34's 403 from S3 reads as any server's", () => {
    const stderr = readFileSync(path.join(DIR, "2.34.8/s3-credentials-refused.txt"), "utf8");
    expect(failureHint(stderr, HTTP)).toBe("");
    expect(failureHint(readFileSync(path.join(DIR, "2.34.8/http-403.txt"), "utf8"), S3)).toMatch(/S3 server refused/);
  });

  for (const v of versions) {
    for (const f of readdirSync(path.join(DIR, v))) {
      const fault = f.replace(/\.txt$/, "");
      it(`Nix ${v}, ${fault}`, () => {
        const stderr = readFileSync(path.join(DIR, v, f), "utf8");
        const want = EXPECTED[fault];
        expect(want, `no expectation for fault ${fault}`).toBeDefined();
        expect(classifyFailure(stderr)).toBe(want.failure);
        const hint = failureHint(stderr, schemeOf(fault));
        if (want.hint) expect(hint).toMatch(want.hint);
        else if (v === "2.8.0" && /^http-40[13]$/.test(fault)) expect(hint).toMatch(NOT_A_CACHE_HINT);
        else expect(hint).toBe("");
        // the line the warning shows is Nix's own error, not its response-body echo
        expect(errorLine(stderr)).not.toMatch(/from the fault recorder|^<\?xml/);
      });
    }
  }
});
