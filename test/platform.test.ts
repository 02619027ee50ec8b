import { describe, expect, it } from "vitest";
import { detectPlatform } from "../src/platform.js";

describe("detectPlatform", () => {
  it.each<[string, Record<string, string>, string]>([
    ["GitHub", { GITHUB_ACTIONS: "true" }, "github"],
    ["act", { GITHUB_ACTIONS: "true", ACT: "true" }, "act"],
    ["Gitea host runner sets ACT=true too", { ACT: "true", GITEA_ACTIONS: "true" }, "gitea"],
    ["Forgejo runner sets ACT and GITEA_ACTIONS-like vars", { ACT: "true", FORGEJO_ACTIONS: "true", GITEA_ACTIONS: "true" }, "forgejo"],
    ["Forgejo without ACT", { FORGEJO_ACTIONS: "true" }, "forgejo"],
    ["GITEA_ACTIONS=false is not Gitea", { GITEA_ACTIONS: "false", ACT: "true" }, "act"],
    ["empty ACT is GitHub", { ACT: "" }, "github"],
    ["GitLab's runner sets GITLAB_CI=true", { GITLAB_CI: "true", CI: "true" }, "gitlab"],
    ["gitlab-ci-local sets GITLAB_CI=false: not GitLab", { GITLAB_CI: "false" }, "github"],
  ])("%s", (_n, env, platform) => {
    expect(detectPlatform(env)).toBe(platform);
  });
});
