// The ready-to-copy templates: the Nix files parse with real Nix, and the image flake evaluates against a
// stand-in for nixpkgs (the real one is not reachable offline), the runner configs and caller workflows parse as YAML, and
// the runner labels cover every label the workflows run on. Act and Gitea's runner load what they can.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ACT, ensureRunners, GITEA_RUNNER, git, nixEnv, ROOT, tempDir } from "./harness.js";

const T = path.join(ROOT, "workflows-templates");

interface Job {
  "runs-on"?: unknown;
  with?: Record<string, unknown>;
}
interface Doc {
  jobs?: Record<string, Job & { concurrency?: unknown }>;
  permissions?: Record<string, string> | string;
  concurrency?: string | { group?: string; "cancel-in-progress"?: boolean };
  on?: { workflow_call?: { inputs: Record<string, { default?: string }> } };
  runner?: { labels: string[] };
  container?: { force_pull?: boolean };
}

/** A YAML file parsed strictly (YAML 1.2, as the runners read it): a syntax error fails the test. */
function yaml(file: string): Doc {
  return parseYaml(readFileSync(file, "utf8")) as Doc;
}

/** Labels a workflow runs on: runs-on of plain jobs, and runs-on/test-runs-on given to reusable workflows. */
function labelsUsed(wf: Doc): string[] {
  const out: string[] = [];
  for (const job of Object.values(wf.jobs ?? {})) {
    if (typeof job["runs-on"] === "string") out.push(job["runs-on"]);
    for (const k of ["runs-on", "test-runs-on"]) {
      const v = job.with?.[k];
      if (typeof v === "string" && v) out.push(v);
    }
  }
  return out;
}

const dirs: string[] = [];
beforeAll(() => ensureRunners(["act", "gitea"]), 900_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("image flake and NixOS module", () => {
  it.each(["runner-image/flake.nix", "nixos/native-runner.nix"])("%s parses with nix-instantiate --parse", (file) => {
    const r = spawnSync("nix-instantiate", ["--parse", path.join(T, file)], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });

  it("the image flake evaluates to a buildLayeredImage with the contents the design asks for (nixpkgs: a stand-in flake, as nixpkgs cannot be fetched offline)", () => {
    const dir = tempDir("image-flake");
    dirs.push(dir);
    cpSync(path.join(T, "runner-image/flake.nix"), path.join(dir, "flake.nix"));
    cpSync(path.join(ROOT, "test/fixtures/workflows/fake-nixpkgs"), path.join(dir, "fake-nixpkgs"), { recursive: true });
    const evalJson = (attr: string, apply?: string): unknown => {
      const args = ["eval", "--json", "--no-write-lock-file", "--override-input", "nixpkgs", `path:${dir}/fake-nixpkgs`, `path:${dir}#${attr}`];
      if (apply) args.push("--apply", apply);
      return JSON.parse(execFileSync("nix", args, { env: nixEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
    };
    expect(evalJson("packages", "p: builtins.mapAttrs (_: builtins.attrNames) p")).toEqual({
      "aarch64-linux": ["default", "runner-image"],
      "x86_64-linux": ["default", "runner-image"],
    });
    const image = evalJson("packages.x86_64-linux.runner-image") as {
      builtWith: string;
      includeNixDB: boolean;
      contents: (string | { writeTextDir: string; text: string })[];
      extraCommands: string;
      config: { Env: string[] };
    };
    expect(image.builtWith).toBe("buildLayeredImage");
    expect(image.includeNixDB).toBe(true);
    const pkgs = image.contents.filter((c): c is string => typeof c === "string");
    for (const p of ["nix", "nodejs", "bashInteractive", "coreutils", "gitMinimal", "cacert", "gnutar", "gzip", "zstd", "usrBinEnv", "caCertificates"]) {
      expect(pkgs).toContain(`pkg:${p}`);
    }
    const files = Object.fromEntries(
      image.contents.filter((c): c is { writeTextDir: string; text: string } => typeof c !== "string").map((c) => [c.writeTextDir, c.text]),
    );
    const conf = files["etc/nix/nix.conf"].split("\n");
    expect(conf).toContain("experimental-features = nix-command flakes");
    expect(conf).toContain("sandbox = false");
    expect(conf).toContain("build-users-group =");
    expect(files["etc/passwd"]).toMatch(/^root:x:0:0:/m);
    expect(files["etc/group"]).toMatch(/^root:x:0:/m);
    expect(image.extraCommands).toMatch(/mkdir -p tmp/);
    expect(image.extraCommands).toMatch(/chmod 1777 tmp/);
    for (const v of ["SSL_CERT_FILE", "NIX_SSL_CERT_FILE"]) expect(image.config.Env).toContain(`${v}=/etc/ssl/certs/ca-bundle.crt`);
  });
});

describe("runner configs", () => {
  const configs = ["runners/gitea-act-runner.yaml", "runners/forgejo-runner.yaml"];

  it.each(configs)("%s maps nix to the job image and native-nix to the host", (file) => {
    const labels = yaml(path.join(T, file)).runner?.labels ?? [];
    expect(labels).toContain("native-nix:host");
    expect(labels.find((l) => l.startsWith("nix:"))).toMatch(/^nix:docker:\/\/[^/]+\/.+:latest$/);
  });

  it("every label the templates and reusable workflows run on is served by both runner configs", () => {
    const served = configs.map((f) => (yaml(path.join(T, f)).runner?.labels ?? []).map((l) => l.split(":")[0]));
    const used = new Set<string>();
    for (const f of readdirSync(T).filter((n) => n.endsWith(".yml"))) labelsUsed(yaml(path.join(T, f))).forEach((l) => used.add(l));
    for (const f of ["build-runner-image.yml", "bump-nixpkgs.yml"]) {
      const wf = yaml(path.join(ROOT, ".gitea/workflows", f));
      const label = wf.on?.workflow_call?.inputs["runs-on"]?.default;
      expect(label, f).toBeTruthy();
      used.add(label ?? "");
    }
    expect([...used].sort()).toEqual(["native-nix", "nix"]);
    for (const labels of served) for (const l of used) expect(labels).toContain(l);
  });

  it.each(configs)(
    "%s makes the image workflow's test job check the image just pushed: the nix label is the template's image at a tag the workflow pushes, pulled for every job",
    (file) => {
      const conf = yaml(path.join(T, file));
      expect(conf.container?.force_pull).toBe(true);
      const ref = (conf.runner?.labels ?? []).find((l) => l.startsWith("nix:"))?.replace(/^nix:docker:\/\//, "") ?? "";
      const [image, tag] = [ref.slice(0, ref.lastIndexOf(":")), ref.slice(ref.lastIndexOf(":") + 1)];
      const caller = yaml(path.join(T, "build-runner-image.yml")).jobs?.image?.with ?? {};
      expect(caller.image).toBe(image);
      expect(caller["test-runs-on"]).toBe("nix");
      const reusable = yaml(path.join(ROOT, ".gitea/workflows/build-runner-image.yml"));
      const tags = String(caller["extra-tags"] ?? reusable.on?.workflow_call?.inputs["extra-tags"]?.default ?? "").split(/\s+/);
      expect(tags).toContain(tag);
    },
  );

  it("Gitea's runner loads its config (and stops only at the missing registration)", () => {
    const dir = tempDir("gitea-runner");
    dirs.push(dir);
    const r = spawnSync(GITEA_RUNNER, ["daemon", "--config", path.join(T, "runners/gitea-act-runner.yaml")], { cwd: dir, encoding: "utf8", timeout: 20_000 });
    const said = r.stdout + r.stderr;
    expect(said).not.toContain("invalid configuration");
    expect(said).toContain("registration file not found");
  });
});

describe("caller workflow templates", () => {
  it.each([
    // The bump pushes a branch and opens a pull request: GitHub's default job token is read-only.
    ["bump-nixpkgs.yml", { contents: "write", "pull-requests": "write" }, "bump-nixpkgs-"],
    ["build-runner-image.yml", { contents: "read" }, "runner-image-"],
  ])("%s asks for the job-token permissions it needs, and one run at a time (queued, not cancelled)", (file, permissions, group) => {
    const wf = yaml(path.join(T, file));
    expect(wf.permissions).toEqual(permissions);
    expect(wf.concurrency).toEqual({ group: `${group}\${{ github.repository }}`, "cancel-in-progress": false });
  });

  it("nix-build.yml reads the repository only", () => {
    expect(yaml(path.join(T, "nix-build.yml")).permissions).toEqual({ contents: "read" });
  });

  it.each(["build-runner-image.yml", "bump-nixpkgs.yml"])(
    "the reusable %s declares no concurrency of its own (GitHub cancels a called workflow that shares its caller's group as a deadlock)",
    (file) => {
      const wf = yaml(path.join(ROOT, ".gitea/workflows", file));
      expect(wf.concurrency).toBeUndefined();
      for (const job of Object.values(wf.jobs ?? {})) expect(job.concurrency).toBeUndefined();
    },
  );

  it("act parses every template and the reusable workflows, and lists their jobs", () => {
    const repo = tempDir("templates");
    dirs.push(repo);
    git(repo, ["init", "-q", "-b", "main"]);
    mkdirSync(path.join(repo, "wf"));
    for (const f of readdirSync(T).filter((n) => n.endsWith(".yml"))) cpSync(path.join(T, f), path.join(repo, "wf", f));
    for (const f of ["build-runner-image.yml", "bump-nixpkgs.yml"]) cpSync(path.join(ROOT, ".gitea/workflows", f), path.join(repo, "wf", `reusable-${f}`));
    const r = spawnSync(ACT, ["--list", "-W", "wf"], { cwd: repo, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    for (const job of ["build", "image", "bump", "test"]) expect(r.stdout).toMatch(new RegExp(`\\b${job}\\b`));
  });
});
