// The image workflow under each runner (act, Gitea's, Forgejo's; host mode, offline), called from a
// fixture consumer repo, pushing a docker-archive built by real Nix to Debian's docker-registry
// (htpasswd auth, a registry of its own per runner) with real skopeo.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ActionCopy,
  actionCopy,
  blobUploads,
  commitAt,
  copyReusableWorkflows,
  ensureRunners,
  fakeNixpkgs,
  git,
  nixEnv,
  type Registry,
  ROOT,
  type Runner,
  type RunOptions,
  RUNNERS,
  runWorkflow,
  startRegistry,
  tempDir,
} from "./harness.js";

const FIXTURE = path.join(ROOT, "test/fixtures/workflows/image-repo");
const NIXPKGS_DATE_ISO = "2026-01-15T12:00:00Z";

let dir: string;
let repo: string;
let action: ActionCopy;

beforeAll(() => {
  ensureRunners();
  dir = tempDir("image");
  const nixpkgs = fakeNixpkgs(path.join(dir, "nixpkgs"), NIXPKGS_DATE_ISO);
  action = actionCopy(path.join(dir, "action"));
  repo = path.join(dir, "repo");
  mkdirSync(path.join(repo, ".gitea/workflows"), { recursive: true });
  git(repo, ["init", "-q", "-b", "main"]);
  const flake = readFileSync(path.join(FIXTURE, "flake.nix.in"), "utf8")
    .replace("@NIXPKGS_URL@", `git+file://${nixpkgs}`)
    .replace("@SALT@", `${process.pid}-${Date.now()}`);
  writeFileSync(path.join(repo, "flake.nix"), flake);
  cpSync(path.join(FIXTURE, "make-archive.sh"), path.join(repo, "make-archive.sh"));
  cpSync(path.join(FIXTURE, "caller.yml"), path.join(repo, ".gitea/workflows/caller.yml"));
  copyReusableWorkflows(repo);
  git(repo, ["add", "-A"]);
  execFileSync("nix", ["flake", "lock"], { cwd: repo, env: nixEnv(), stdio: "ignore" });
  commitAt(repo, "fixture consumer", "2026-02-01T00:00:00Z");
}, 900_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Lines a runner prints by itself where a secret is involved, masked: its echo of the action's
 * ::add-mask:: command (act: "⚙  ***"; Gitea's runner: "[job] ***" and the command line itself;
 * the Forgejo stand-in is Gitea's runner), and the env block Gitea's runner lists above
 * every run step ("|   REGISTRY_PASSWORD: ***", three spaces in).
 */
const RUNNER_OWN_MASKED_LINES: Record<Runner, RegExp[]> = {
  act: [/⚙\s+\*\*\*$/],
  gitea: [/\] \*\*\*$/, /\| ::add-mask::\*\*\*$/, /\| {3}[A-Z_]+: \*\*\*$/],
  forgejo: [/\] \*\*\*$/, /\| ::add-mask::\*\*\*$/, /\| {3}[A-Z_]+: \*\*\*$/],
};

function skopeo(args: string[]): string {
  return execFileSync("skopeo", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

describe.each(RUNNERS)("build-runner-image.yml under %s", (runner) => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });
  /** Runs the caller; `to`: the registry the jobs must reach (Gitea's and Forgejo's runners run in a network namespace). */
  const publish = (o: Omit<RunOptions, "workflow" | "action" | "reach">, to: Registry = registry) =>
    runWorkflow(runner, repo, { ...o, workflow: ".gitea/workflows/caller.yml", action, reach: [to.port] });

  it("pushes the date tag once, adds latest and unstable by digest, and sets the outputs", async () => {
    // a registry of its own: the other tests' images share layers with this one, and the registry
    // would mount those instead of taking uploads, whatever order the tests run in
    const own = await startRegistry();
    try {
      await publishesOnce(own);
    } finally {
      await own.stop();
    }
  });

  async function publishesOnce(registry: Registry): Promise<void> {
    const image = `${registry.host}/ci/nix-runner`;
    const nixKey = (args: string[], input?: string) =>
      execFileSync("nix", ["--extra-experimental-features", "nix-command", "key", ...args], { input, encoding: "utf8" }).trim();
    const signingKey = nixKey(["generate-secret", "--key-name", "fixture-cache-1"]);
    const publicKey = nixKey(["convert-secret-to-public"], signingKey);
    const run = await publish(
      {
        vars: { IMAGE: image, PUSH_TO: `file://${dir}/cache` },
        secrets: { CI_REGISTRY_USER: registry.user, CI_REGISTRY_PASSWORD: registry.password, NIX_SIGNING_KEY: signingKey },
      },
      registry,
    );
    expect(run.code, run.log).toBe(0);
    // The runners mask secrets as ***: nothing in a successful run prints a credential, masked or not,
    // but what the runner itself prints (RUNNER_OWN_MASKED_LINES).
    expect(run.log).not.toContain(registry.password);
    expect(run.log).not.toContain(signingKey);
    const ownLines = RUNNER_OWN_MASKED_LINES[runner];
    expect(run.log.split("\n").filter((l) => l.includes("***") && !ownLines.some((own) => own.test(l))).join("\n")).toBe("");
    // The action ran, from the copy, and knew which runner's forge it was on.
    expect(run.log).toContain(`::set-output:: platform=${runner}`);
    // push-to and the signing-key secret reached the action: it names the key's public half (not yet trusted here).
    expect(run.log).toContain(publicKey);

    const tags = JSON.parse(skopeo(["list-tags", "--authfile", registry.authfile, "--tls-verify=false", `docker://${image}`])) as { Tags: string[] };
    expect(tags.Tags.sort()).toEqual(["20260115", "latest", "unstable"]);
    const digests = ["20260115", "latest", "unstable"].map((t) =>
      skopeo(["inspect", "--authfile", registry.authfile, "--tls-verify=false", "--format", "{{.Digest}}", `docker://${image}:${t}`]),
    );
    expect(new Set(digests).size).toBe(1);
    expect(digests[0]).toMatch(/^sha256:[0-9a-f]{64}$/);

    // The workflow's outputs reach the caller.
    expect(run.log).toContain(`published digest=${digests[0]} date-tag=20260115`);

    // Each blob of the image (2 layers + config) was uploaded exactly once; the extra tags sent only manifests.
    const manifest = JSON.parse(
      skopeo(["inspect", "--raw", "--authfile", registry.authfile, "--tls-verify=false", `docker://${image}:latest`]),
    ) as { config: { digest: string }; layers: { digest: string }[] };
    const blobs = [manifest.config.digest, ...manifest.layers.map((l) => l.digest)].sort();
    expect(manifest.layers).toHaveLength(2);
    expect(blobUploads(registry.log()).sort()).toEqual(blobs);
    // latest and unstable were copied from the pushed image by digest (registry to registry), not from the archive again.
    const readsByDigest = registry.log().split("\n").filter((l) => l.includes(`"GET /v2/ci/nix-runner/manifests/${digests[0]} `));
    expect(readsByDigest.length).toBeGreaterThanOrEqual(2);

    // The fixture, like buildLayeredImage, built a gzip-compressed archive.
    expect(run.log).toContain("is a gzip-compressed archive");
    // The test job ran on the "nix" label and checked the image's tools.
    expect(run.log).toMatch(/Check the job image/);
    expect(run.log).toContain("ok: flakes enabled");
  }

  it("publishes a streamLayeredImage-style script's archive", async () => {
    const image = `${registry.host}/ci/streamed`;
    const run = await publish({
      vars: { IMAGE: image, FLAKE_ATTR: ".#runner-image-stream" },
      secrets: { CI_REGISTRY_USER: registry.user, CI_REGISTRY_PASSWORD: registry.password },
    });
    expect(run.code, run.log).toBe(0);
    expect(run.log).toContain("is a stream script (streamLayeredImage)");
    const manifest = JSON.parse(
      skopeo(["inspect", "--raw", "--authfile", registry.authfile, "--tls-verify=false", `docker://${image}:20260115`]),
    ) as { layers: unknown[] };
    expect(manifest.layers).toHaveLength(2);
    const latest = skopeo(["inspect", "--authfile", registry.authfile, "--tls-verify=false", "--format", "{{.Digest}}", `docker://${image}:latest`]);
    expect(run.log).toContain(`published digest=${latest} date-tag=20260115`);
  });

  it("talks plain HTTP only when insecure-registry is set: otherwise it fails and says so", async () => {
    const image = `${registry.host}/ci/plain`;
    const run = await publish({
      vars: { IMAGE: image, INSECURE: "false" },
      secrets: { CI_REGISTRY_USER: registry.user, CI_REGISTRY_PASSWORD: registry.password },
    });
    expect(run.code).not.toBe(0);
    expect(run.log).toContain(`${registry.host} speaks plain HTTP; set the insecure-registry input to true if that is intended`);
    expect(() => skopeo(["inspect", "--authfile", registry.authfile, "--tls-verify=false", `docker://${image}:latest`])).toThrow();
  });

  it("fails the job with a clear message when the registry refuses the credentials", async () => {
    const image = `${registry.host}/ci/refused`;
    const wrong = "definitely-not-the-password";
    const run = await publish({
      vars: { IMAGE: image },
      secrets: { CI_REGISTRY_USER: registry.user, CI_REGISTRY_PASSWORD: wrong },
    });
    expect(run.code).not.toBe(0);
    // The user name is a secret too, so the runner masks it in the message.
    expect(run.log).toContain(`login to ${registry.host} as *** was refused: check the registry-username and registry-password secrets`);
    expect(run.log).not.toContain(wrong);
    expect(() => skopeo(["inspect", "--authfile", registry.authfile, "--tls-verify=false", `docker://${image}:latest`])).toThrow();
  });
});
