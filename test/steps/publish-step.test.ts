// The publish-image sub-action's step (src/steps/publish-step.ts) run in process from the sources by
// the step-io fixture, with a `skopeo` stand-in on PATH that records each command line and its stdin,
// answers `login` as the test says, and writes a digest for `copy --digestfile`: what the step decides
// and reports, without a registry. The built bundle against real skopeo and Debian's docker-registry
// is test/steps/publish-step.integration.test.ts.
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { newJob, tempDir } from "../../scripts/lib/runner.mjs";
import { runInProcess } from "../helpers/step-io.js";

const DIGEST = "sha256:" + "ab".repeat(32);
const PASSWORD = "pw-publish-step-secret";
const IMAGE = "registry.example.invalid/ci/nix-runner";

/** A workspace whose flake.lock has nixpkgs at 2026-01-15, a plain archive, and the skopeo stand-in. */
function fixture(login: { code: number; says: string } = { code: 0, says: "Login Succeeded!" }) {
  const base = tempDir("nra-publish-unit-");
  const workspace = path.join(base, "ws");
  const bin = path.join(base, "bin");
  mkdirSync(workspace);
  mkdirSync(bin);
  writeFileSync(path.join(workspace, "flake.lock"), JSON.stringify({ nodes: { n: { locked: { lastModified: Date.parse("2026-01-15T12:00:00Z") / 1000 } }, root: { inputs: { nixpkgs: "n" } } }, root: "root", version: 7 }));
  const archive = path.join(base, "image.tar");
  writeFileSync(archive, "not inspected by the stand-in");
  const calls = path.join(base, "calls");
  const stdin = path.join(base, "stdin");
  writeFileSync(calls, "");
  writeFileSync(
    path.join(bin, "skopeo"),
    [
      "#!/bin/sh",
      `printf '%s\\n' "$*" >> '${calls}'`,
      `case "$1" in login) cat >> '${stdin}'; echo '${login.says}'; exit ${login.code};; esac`,
      'while [ $# -gt 0 ]; do [ "$1" = --digestfile ] && printf \'%s\\n\' ' + `'${DIGEST}'` + ' > "$2"; shift; done',
      "exit 0",
      "",
    ].join("\n"),
  );
  chmodSync(path.join(bin, "skopeo"), 0o755);
  const job = newJob({ GITHUB_WORKSPACE: workspace, PATH: `${bin}:${process.env.PATH}` });
  return {
    job,
    archive,
    calls: () => readFileSync(calls, "utf8").split("\n").filter(Boolean),
    stdin: () => readFileSync(stdin, "utf8"),
    leftovers: () => readdirSync(job.temp).filter((e) => e.startsWith("publish-image-")),
    run: (inputs: Record<string, string>) => runInProcess(job, "publish-image", { archive, image: IMAGE, "extra-tags": "latest unstable", ...inputs }),
  };
}

describe("publish-image sub-action (from src, in process; skopeo stand-in)", () => {
  it("logs in with the password on stdin, pushes the date tag once, adds the other tags by digest, and reports them", async () => {
    const f = fixture();
    const r = await f.run({ "registry-username": "ci", "registry-password": PASSWORD });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toEqual({ digest: DIGEST, "date-tag": "20260115" });
    const calls = f.calls();
    expect(calls.map((c) => c.split(" ")[0])).toEqual(["login", "copy", "copy", "copy"]);
    expect(calls[0]).toMatch(/ --username ci --password-stdin registry\.example\.invalid$/);
    expect(calls[1]).toMatch(new RegExp(` --retry-times 3 --digestfile \\S+ docker-archive:${f.archive} docker://${IMAGE}:20260115$`));
    expect(calls.slice(2)).toEqual(["latest", "unstable"].map((t) => expect.stringMatching(new RegExp(`--preserve-digests docker://${IMAGE}@${DIGEST} docker://${IMAGE}:${t}$`))));
    expect(f.stdin()).toBe(PASSWORD);
    for (const c of calls) expect(c).not.toContain(PASSWORD);
    expect(r.raw).toContain(`::add-mask::${PASSWORD}`);
    expect(r.log).not.toContain(PASSWORD);
    expect(r.log).toContain(`Tagging ${IMAGE}@${DIGEST} as unstable`);
    expect(readFileSync(f.job.files.summary, "utf8")).toContain(`| \`${IMAGE}:unstable\` | \`${DIGEST}\` |`);
    expect(f.leftovers()).toEqual([]);
  });

  it("bad inputs fail the step naming each input, before any skopeo call; the password is masked", async () => {
    const f = fixture();
    const r = await f.run({ image: `${IMAGE}:v1`, "extra-tags": "latest -bad", "retry-times": "many", "insecure-registry": "maybe", "registry-password": PASSWORD });
    expect(r.code).toBe(1);
    const error = r.log.split("\n").find((l) => l.startsWith("::error::"));
    expect(error?.replace("::error::", "").split("%0A")).toEqual([
      "registry-password is set but registry-username is empty: pass both secrets, or neither for a registry without login",
      `image: "${IMAGE}:v1" must be a reference without tag or digest, e.g. git.example.com/ci/nix-runner (the tags are date-tag and extra-tags)`,
      'extra-tags: "-bad" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)',
      'insecure-registry must be true or false (got "maybe")',
      'retry-times must be a whole number from 0 to 100 (got "many")',
    ]);
    expect(r.raw).toContain(`::add-mask::${PASSWORD}`);
    expect(r.log).not.toContain(PASSWORD);
    expect(r.outputs).toEqual({});
    expect(f.calls()).toEqual([]);
    expect(f.leftovers()).toEqual([]);
  });

  it("no date tag and no nixpkgs date in flake.lock: fails before any skopeo call", async () => {
    const f = fixture();
    writeFileSync(path.join(f.job.env.GITHUB_WORKSPACE as string, "flake.lock"), "{}");
    const r = await f.run({});
    expect(r.code).toBe(1);
    expect(r.log).toContain("::error::no date tag: flake.lock has no nixpkgs input with a lastModified date; lock nixpkgs or pass the date-tag input");
    expect(f.calls()).toEqual([]);
  });

  it("a refused login fails naming the secrets, pushes nothing, and removes its temp folder", async () => {
    const f = fixture({ code: 1, says: "Error: authenticating creds: unauthorized: invalid username/password" });
    const r = await f.run({ "registry-username": "ci", "registry-password": "wrong", "date-tag": "v2" });
    expect(r.code).toBe(1);
    expect(r.log).toContain("::error::login to registry.example.invalid as ci was refused: check the registry-username and registry-password secrets");
    expect(f.calls().map((c) => c.split(" ")[0])).toEqual(["login"]);
    expect(r.outputs).toEqual({});
    expect(f.leftovers()).toEqual([]);
  });

  it("an archive that is not a file fails naming it, before any skopeo call", async () => {
    const f = fixture();
    const r = await f.run({ archive: path.join(f.job.temp, "result") });
    expect(r.code).toBe(1);
    expect(r.log).toContain(`::error::${path.join(f.job.temp, "result")} is not a docker-archive file (use dockerTools.buildLayeredImage or streamLayeredImage)`);
    expect(f.calls()).toEqual([]);
    expect(f.leftovers()).toEqual([]);
  });
});
