// The ready-to-copy templates: the Nix files parse with real Nix (nixpkgs is not reachable offline, so
// they are parsed, not evaluated), the runner configs and caller workflows parse as YAML (PyYAML), and
// the runner labels cover every label the workflows run on. Act and Gitea's runner load what they can.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACT, ensureAct, GITEA_RUNNER, git, ROOT, tempDir } from "./harness.js";

const T = path.join(ROOT, "workflows-templates");

interface Job {
  "runs-on"?: unknown;
  with?: Record<string, unknown>;
}
interface Doc {
  jobs?: Record<string, Job>;
  /** PyYAML reads the key `on` as YAML 1.1's boolean true. */
  true?: { workflow_call?: { inputs: Record<string, { default?: string }> } };
  runner?: { labels: string[] };
}

/** YAML → JSON through PyYAML's safe_load. */
function yaml(file: string): Doc {
  const r = spawnSync("python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`PyYAML could not load ${file} (python3 with PyYAML is required): ${r.stderr}`);
  return JSON.parse(r.stdout);
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
beforeAll(() => ensureAct(), 900_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("image flake and NixOS module", () => {
  it.each(["runner-image/flake.nix", "nixos/native-runner.nix"])("%s parses with nix-instantiate --parse", (file) => {
    const r = spawnSync("nix-instantiate", ["--parse", path.join(T, file)], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });

  it("the image flake has the contents the design asks for", () => {
    const text = readFileSync(path.join(T, "runner-image/flake.nix"), "utf8");
    for (const pkg of ["nix", "nodejs", "bashInteractive", "coreutils", "gitMinimal", "cacert", "gnutar", "gzip", "zstd"]) {
      expect(text, pkg).toMatch(new RegExp(`\\b${pkg}\\b`));
    }
    for (const s of ["usrBinEnv", "buildLayeredImage", "runner-image", "etc/passwd", "etc/group", "mkdir -p tmp", "SSL_CERT_FILE=", "NIX_SSL_CERT_FILE="]) {
      expect(text).toContain(s);
    }
    for (const line of [/^\s*experimental-features = nix-command flakes$/m, /^\s*sandbox = false$/m, /^\s*build-users-group =$/m]) expect(text).toMatch(line);
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
      const label = wf.true?.workflow_call?.inputs["runs-on"]?.default;
      expect(label, f).toBeTruthy();
      used.add(label ?? "");
    }
    expect([...used].sort()).toEqual(["native-nix", "nix"]);
    for (const labels of served) for (const l of used) expect(labels).toContain(l);
  });

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
