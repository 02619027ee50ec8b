// scripts/lib/runners.mjs: the runners' command lines for the workflow tests and the e2e, and the
// labels of the runner config templates (workflows-templates/runners/) they run jobs under.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HOST, labelImage, RUNNER_TEMPLATE, runnerArgv, templateLabels } from "../../scripts/lib/runners.mjs";
import { tempDir } from "../../scripts/lib/runner.mjs";

const REGISTRY_IMAGE = "registry.example.com/ci/nix-runner:latest";
const LOCAL = "localhost/nra-nix-job:2.8.4";
const standIns = { [REGISTRY_IMAGE]: LOCAL };

/** A copy of Gitea's template with one text replaced. */
function brokenTemplate(from: string, to: string): string {
  const text = readFileSync(RUNNER_TEMPLATE.gitea, "utf8");
  expect(text).toContain(from);
  const file = path.join(tempDir("nra-runners-"), "config.yaml");
  writeFileSync(file, text.replace(from, to));
  return file;
}

describe("templateLabels", () => {
  it.each(Object.entries(RUNNER_TEMPLATE))("%s's template: nix is the job image (its local stand-in), native-nix this machine", (_, file) => {
    expect(templateLabels(file, standIns)).toEqual({ nix: LOCAL, "native-nix": HOST });
  });

  it("an image without a local stand-in (a template naming another image) is an error naming the label", () => {
    const file = brokenTemplate(REGISTRY_IMAGE, "registry.example.com/ci/nix-runnr:latest");
    expect(() => templateLabels(file, standIns)).toThrow(/label nix's image registry\.example\.com\/ci\/nix-runnr:latest has no local stand-in/);
  });

  it("a label that is neither NAME:host nor NAME:docker://IMAGE is an error", () => {
    expect(() => templateLabels(brokenTemplate('"native-nix:host"', '"native-nix:hots"'), standIns)).toThrow(/label "native-nix:hots" is neither/);
  });
});

describe("runnerArgv", () => {
  const base = { bin: "/bin/r", workflow: "w.yml", event: "push", vars: { A: "b=c" }, env: { E: "1" } };

  it("act in host mode: one -P per label, the offline flags, the secret file; no container flags", () => {
    const argv = runnerArgv({ ...base, runner: "act", platforms: { "ubuntu-latest": HOST, nix: HOST }, secretFile: "/s" });
    expect(argv.slice(0, 2)).toEqual(["/bin/r", "push"]);
    expect(argv.join(" ")).toContain("-P ubuntu-latest=-self-hosted -P nix=-self-hosted");
    for (const w of ["--no-cache-server", "--action-offline-mode", "--var A=b=c", "--env E=1", "--secret-file /s"]) expect(argv.join(" ")).toContain(w);
    expect(argv).not.toContain("--container-daemon-socket");
  });

  it("exec modes run every job in the one image of its labels, with the container flags and docker options", () => {
    const argv = runnerArgv({ ...base, runner: "gitea", platforms: { "ubuntu-latest": LOCAL }, containerOptions: "-v /a:/a", secrets: ["K"], artifacts: { port: 1 } });
    expect(argv.slice(0, 2)).toEqual(["/bin/r", "exec"]);
    expect(argv).toContain(`--image=${LOCAL}`);
    expect(argv.join(" ")).toContain("--container-daemon-socket - --container-opts -v /a:/a");
    expect(argv.join(" ")).toContain("--artifact-server-addr 127.0.0.1 --artifact-server-port 1");
    expect(argv.join(" ")).toContain("-s K");
    expect(() => runnerArgv({ ...base, runner: "forgejo", platforms: { a: LOCAL, b: HOST } })).toThrow(/one image/);
  });

  it("each forge's jobs get the variables its registered runner sets; the Forgejo stand-in both of Forgejo's", () => {
    const envOf = (runner: "act" | "gitea" | "forgejo") =>
      runnerArgv({ ...base, runner, platforms: { a: HOST } }).filter((_, i, a) => a[i - 1] === "--env");
    expect(envOf("act")).toEqual(["E=1"]);
    expect(envOf("gitea")).toEqual(["E=1", "GITEA_ACTIONS=true"]);
    expect(envOf("forgejo")).toEqual(["E=1", "FORGEJO_ACTIONS=true", "GITEA_ACTIONS=true"]);
    expect(runnerArgv({ ...base, runner: "forgejo", platforms: { a: HOST } })[1]).toBe("exec");
  });
});

describe("labelImage: runs-on through the runner's config template", () => {
  it("nix → the stand-in image, native-nix → this machine", () => {
    expect(labelImage("forgejo", "nix", standIns)).toBe(LOCAL);
    expect(labelImage("act", "native-nix", standIns)).toBe(HOST);
  });

  it("a label the template does not ship fails, naming the template", () => {
    expect(() => labelImage("gitea", "nix-image", standIns)).toThrow("workflows-templates/runners/gitea-act-runner.yaml has no label nix-image (it has nix, native-nix)");
  });
});
