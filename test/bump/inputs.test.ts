import { describe, expect, it } from "vitest";
import { readBumpInputs } from "../../src/bump/inputs.js";
import { InputError } from "../../src/errors.js";

const RUN_ENV = { GITHUB_REF_NAME: "main", GITHUB_API_URL: "https://git.example.com/api/v1/", GITHUB_REPOSITORY: "acme/app", GITHUB_WORKSPACE: "/w" };

function read(values: Record<string, string>, env: NodeJS.ProcessEnv = RUN_ENV) {
  const masked: string[] = [];
  const inputs = readBumpInputs((n) => values[n] ?? "", env, (s) => masked.push(s));
  return { inputs, masked };
}
const errorOf = (values: Record<string, string>, env: NodeJS.ProcessEnv = RUN_ENV): string => {
  try {
    read(values, env);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("no error");
};

describe("readBumpInputs", () => {
  it("empty inputs take the defaults and what the runner says about this run", () => {
    const { inputs, masked } = read({ token: "t0k" });
    expect(inputs).toEqual({
      input: "nixpkgs",
      mode: "pull-request",
      base: "main",
      bumpBranch: "ci/bump-nixpkgs",
      author: { name: "nix-runner-bot", email: "nix-runner-bot@noreply.invalid" },
      labels: [],
      flavour: "github",
      api: "https://git.example.com/api/v1",
      repository: "acme/app",
      token: "t0k",
      workspace: "/w",
    });
    expect(masked).toEqual(["t0k"]);
  });

  it.each<[string, string, string, NodeJS.ProcessEnv]>([
    ["on GitHub", "auto", "github", {}],
    ["on Gitea's runner", "auto", "gitea", { GITEA_ACTIONS: "true", ACT: "true" }],
    ["on Forgejo's runner", "auto", "gitea", { FORGEJO_ACTIONS: "true" }],
    ["under act", "auto", "gitea", { ACT: "true" }],
    ["on Gitea's runner", "github", "github", { GITEA_ACTIONS: "true" }],
    ["on GitHub", "gitea", "gitea", {}],
  ])("%s, forge %s → the %s API", (_n, forge, flavour, env) => {
    expect(read({ token: "t", forge }, { ...RUN_ENV, ...env }).inputs.flavour).toBe(flavour);
  });

  it("inputs win over the run's defaults; labels are split on commas and trimmed", () => {
    const { inputs } = read({ "base-branch": "release", "api-url": "http://127.0.0.1:1/api/v1", repository: "o/r", labels: " dependencies, nix,, ", token: "t", mode: "push", input: "nixpkgs-unstable" });
    expect(inputs).toMatchObject({ base: "release", api: "http://127.0.0.1:1/api/v1", repository: "o/r", labels: ["dependencies", "nix"], mode: "push", input: "nixpkgs-unstable" });
  });

  it("reports every problem at once, each naming the input", () => {
    const msg = errorOf({ mode: "merge", forge: "gitlab" }, {});
    expect(msg.split("\n")).toEqual([
      'mode must be push or pull-request (got "merge")',
      'forge must be auto, gitea or github (got "gitlab")',
      "base-branch: empty, and the runner did not say which branch this run is on (GITHUB_REF_NAME); name the branch to update",
    ]);
  });

  it("pull-request mode needs a repository, an API URL and a token; push mode needs none of them", () => {
    expect(errorOf({}, { GITHUB_REF_NAME: "main" }).split("\n")).toEqual([
      'repository must be owner/repo (got "")',
      "no forge API URL: set the api-url input",
      "no token: pass the token secret",
    ]);
    expect(errorOf({ token: "t", "api-url": "git.example.com" })).toBe('api-url: "git.example.com" is not an http(s) URL; give the API base, e.g. https://git.example.com/api/v1');
    expect(errorOf({ token: "t", "bump-branch": "main" })).toContain('bump-branch: "main" is the base branch too');
    expect(read({ mode: "push" }, { GITHUB_REF_NAME: "main" }).inputs.token).toBe("");
  });
});
