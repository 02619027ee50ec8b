import { describe, expect, it } from "vitest";
import { type BaseConfig, configShowArgs, missing, nixConfigEnv, renderConf, storeInfoArgs } from "../../src/nix/config.js";
import { decideTrust, ignoredByDaemon } from "../../src/nix/trust.js";

const base: BaseConfig = {
  substituters: ["https://cache.nixos.org/"],
  trustedPublicKeys: ["cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY="],
  trustedSubstituters: [],
  trustedUsers: ["root"],
};
const req = { substituters: [], trustedPublicKeys: [], extraConf: "", accessTokens: "" };

describe("renderConf", () => {
  it("appends with extra- settings and never restates what is in effect", () => {
    const text = renderConf(
      {
        ...req,
        substituters: ["https://cache.nixos.org", "http://cache.lan", "http://cache.lan/"],
        trustedPublicKeys: [base.trustedPublicKeys[0], "lan:AAAA"],
      },
      base,
    );
    expect(text).toContain("extra-substituters = http://cache.lan\n");
    expect(text).toContain("extra-trusted-public-keys = lan:AAAA\n");
    expect(text).not.toMatch(/^substituters =/m);
    expect(text).not.toMatch(/^trusted-public-keys =/m);
  });

  it("turns on nix-command and flakes, with extra- so the image's own features stay", () => {
    expect(renderConf(req, base)).toContain("extra-experimental-features = nix-command flakes\n");
  });

  it("points at files, never embeds netrc text, and keeps extra-conf last so it wins", () => {
    const text = renderConf({ ...req, netrcFile: "/t/netrc", postBuildHook: "/t/hook", extraConf: "max-jobs = 2" }, base);
    expect(text).toMatch(/netrc-file = \/t\/netrc\npost-build-hook = \/t\/hook\nmax-jobs = 2\n$/);
  });
});

describe("missing", () => {
  it("keeps order and drops repeats", () => {
    expect(missing(["b", "a", "b", "c"], ["c"])).toEqual(["b", "a"]);
  });
});

describe("nixConfigEnv", () => {
  it("keeps the job's NIX_CONFIG and includes ours last", () => {
    expect(nixConfigEnv("/t/nix.conf", { NIX_CONFIG: "substituters = http://img\n" })).toEqual({
      withOurs: "substituters = http://img\n!include /t/nix.conf",
      without: "substituters = http://img",
    });
    expect(nixConfigEnv("/t/nix.conf", {}).withOurs).toBe("!include /t/nix.conf");
  });
  it("is idempotent: a second run does not include ours again", () => {
    const first = nixConfigEnv("/t/nix.conf", { NIX_CONFIG: "max-jobs = 2" });
    expect(nixConfigEnv("/t/nix.conf", { NIX_CONFIG: first.withOurs })).toEqual(first);
  });
});

describe("decideTrust", () => {
  const f = { viaDaemon: true, uid: 1000, user: "runner", groups: ["runner", "wheel"], sameConfigAsDaemon: true };
  it.each<[string, Partial<typeof f> & { daemonSays?: boolean }, string[], boolean | "unknown"]>([
    ["no daemon: the store is ours", { viaDaemon: false }, ["root"], true],
    ["listed by name", {}, ["root", "runner"], true],
    ["listed by group", {}, ["root", "@wheel"], true],
    ["everyone", {}, ["*"], true],
    ["not listed", {}, ["root", "@nixbld"], false],
    ["daemon's own answer wins", { daemonSays: false }, ["*"], false],
    ["container with a mounted socket, old Nix", { sameConfigAsDaemon: false }, ["*"], "unknown"],
  ])("%s", (_n, over, users, trusted) => {
    expect(decideTrust({ ...f, ...over }, { ...base, trustedUsers: users }).trusted).toBe(trusted);
  });
});

describe("ignoredByDaemon", () => {
  it("names each ignored setting and the admin's line", () => {
    const out = ignoredByDaemon(
      { substituters: ["http://cache.lan", "https://cache.nixos.org"], trustedPublicKeys: ["lan:AAAA"], extraConf: "max-silent-time = 60\nmax-jobs = 4\ncores = 2\npost-build-hook = /t/h\naccept-flake-config = true", netrc: true, hook: false },
      { ...base, trustedSubstituters: [] },
      "runner",
    );
    expect(out).toEqual([
      { setting: "substituters http://cache.lan", fix: "extra-trusted-substituters = http://cache.lan" },
      { setting: "trusted-public-keys lan", fix: "extra-trusted-public-keys = lan:AAAA" },
      { setting: "netrc-file", fix: "trusted-users = runner (or put the netrc in the daemon's netrc-file)" },
      // max-jobs and cores reach the daemon for anyone (test/nix/trust.integration.test.ts)
      { setting: "extra-conf post-build-hook", fix: "trusted-users = runner" },
    ]);
  });
  it("allows substituters the admin listed in trusted-substituters", () => {
    const out = ignoredByDaemon({ substituters: ["http://cache.lan/"], trustedPublicKeys: [], extraConf: "", netrc: false, hook: false }, { ...base, trustedSubstituters: ["http://cache.lan"] }, "runner");
    expect(out).toEqual([]);
  });
});

describe("command spellings by version", () => {
  it.each([
    ["2.8.0", ["show-config"], ["store", "ping"]],
    ["2.19.3", ["show-config"], ["store", "ping"]],
    ["2.20.0", ["config", "show"], ["store", "info"]],
    ["2.26.3", ["config", "show"], ["store", "info"]],
    ["2.34.8", ["config", "show"], ["store", "info"]],
    [undefined, ["show-config"], ["store", "ping"]],
  ])("Nix %s: %j, %j", async (version, config, info) => {
    expect(await configShowArgs(version)).toEqual(config);
    expect(await storeInfoArgs(version)).toEqual(info);
  });
});
