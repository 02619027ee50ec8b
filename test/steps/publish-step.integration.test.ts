// The built publish-image sub-action (dist/publish-image) run as a runner runs a step, pushing a
// docker-archive made with host tools (the image fixture's make-archive.sh) to Debian's
// docker-registry on 127.0.0.1 (htpasswd auth) with real skopeo, through a wrapper that records
// every skopeo command line.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newJob, ROOT, runStep } from "../../scripts/lib/runner.mjs";
import { blobUploads, type Registry, startRegistry } from "../workflows/harness.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "nra-publish-step-"));
let registry: Registry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const skopeoOut = (args: string[]) => execFileSync("skopeo", [...args.slice(0, 1), "--authfile", registry.authfile, "--tls-verify=false", ...args.slice(1)], { encoding: "utf8" }).trim();

let n = 0;
function fixture() {
  const base = path.join(dir, `case-${++n}`);
  const workspace = path.join(base, "ws");
  const bin = path.join(base, "bin");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(bin);
  // nixpkgs locked at 2026-01-15: the date tag when date-tag is empty
  writeFileSync(path.join(workspace, "flake.lock"), JSON.stringify({ nodes: { n: { locked: { lastModified: Date.parse("2026-01-15T12:00:00Z") / 1000 } }, root: { inputs: { nixpkgs: "n" } } }, root: "root", version: 7 }));
  const archive = path.join(base, "runner-image.tar.gz");
  execFileSync("sh", [path.join(ROOT, "test/fixtures/workflows/image-repo/make-archive.sh")], { env: { ...process.env, TMPDIR: base, out: archive, salt: `${process.pid}-${n}-${Date.now()}`, compress: "1" } });
  const calls = path.join(base, "skopeo-calls");
  writeFileSync(calls, "");
  writeFileSync(path.join(bin, "skopeo"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexec /usr/bin/skopeo "$@"\n`);
  chmodSync(path.join(bin, "skopeo"), 0o755);
  const job = newJob({ GITHUB_WORKSPACE: workspace, PATH: `${bin}:${process.env.PATH}` });
  return {
    job,
    calls: () => readFileSync(calls, "utf8").split("\n").filter(Boolean),
    run: (inputs: Record<string, string>) =>
      runStep(job, "publish-image", { archive, "extra-tags": "latest unstable", "retry-times": "1", "registry-username": registry.user, "registry-password": registry.password, ...inputs }),
  };
}

describe("publish-image sub-action (built bundle; real skopeo and docker-registry on 127.0.0.1)", () => {
  it("pushes every layer once to the date tag, adds the other tags by digest, and never puts the password on a command line", async () => {
    const f = fixture();
    const image = `${registry.host}/ci/unit`;
    const r = await f.run({ image, "insecure-registry": "true" });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toContain("runner-image.tar.gz is a gzip-compressed archive");

    const digest = skopeoOut(["inspect", "--format", "{{.Digest}}", `docker://${image}:20260115`]);
    expect(r.outputs).toEqual({ digest, "date-tag": "20260115" });
    for (const tag of ["latest", "unstable"]) expect(skopeoOut(["inspect", "--format", "{{.Digest}}", `docker://${image}:${tag}`])).toBe(digest);
    const manifest = JSON.parse(skopeoOut(["inspect", "--raw", `docker://${image}:latest`])) as { config: { digest: string }; layers: { digest: string }[] };
    expect(blobUploads(registry.log()).sort()).toEqual([manifest.config.digest, ...manifest.layers.map((l) => l.digest)].sort());

    // login, one copy from the archive, one copy by digest per other tag
    const calls = f.calls();
    expect(calls.map((c) => c.split(" ")[0])).toEqual(["login", "copy", "copy", "copy"]);
    expect(calls[1]).toMatch(/ docker-archive:\S+ docker:\/\/127\.0\.0\.1:\d+\/ci\/unit:20260115$/);
    expect(calls.slice(2)).toEqual(["latest", "unstable"].map((t) => expect.stringMatching(new RegExp(`--preserve-digests docker://${image}@${digest} docker://${image}:${t}$`))));
    for (const c of calls) expect(c).not.toContain(registry.password);
    expect(r.log).not.toContain(registry.password);

    expect(readFileSync(f.job.files.summary, "utf8")).toContain(`| \`${image}:unstable\` | \`${digest}\` |`);
    // the auth file, the digest file and the decompressed archive are gone
    expect(readdirSync(f.job.temp).filter((e) => e.startsWith("publish-image-"))).toEqual([]);
  });

  it("a registry on plain HTTP without insecure-registry, and refused credentials, fail with what to do", async () => {
    const plain = await fixture().run({ image: `${registry.host}/ci/plain` });
    expect(plain.code).toBe(1);
    expect(plain.log).toContain(`::error::${registry.host} speaks plain HTTP; set the insecure-registry input to true if that is intended`);

    const refused = await fixture().run({ image: `${registry.host}/ci/refused`, "insecure-registry": "true", "registry-password": "wrong-password" });
    expect(refused.code).toBe(1);
    expect(refused.log).toContain(`::error::login to ${registry.host} as ${registry.user} was refused: check the registry-username and registry-password secrets`);
    expect(refused.log).not.toContain("wrong-password");
  });

  it("no date tag and no nixpkgs date in flake.lock: fails before any skopeo call", async () => {
    const f = fixture();
    writeFileSync(path.join(f.job.env.GITHUB_WORKSPACE as string, "flake.lock"), "{}");
    const r = await f.run({ image: `${registry.host}/ci/undated`, "insecure-registry": "true" });
    expect(r.code).toBe(1);
    expect(r.log).toContain("::error::no date tag: flake.lock has no nixpkgs input with a lastModified date; lock nixpkgs or pass the date-tag input");
    expect(f.calls()).toEqual([]);
  });
});
