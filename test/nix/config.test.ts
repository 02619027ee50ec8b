import { describe, expect, it } from "vitest";
import { type BaseConfig, configShowArgs, missing, nixConfigEnv, renderConf, storeInfoArgs } from "../../src/nix/config.js";
import { parseNixVersion } from "../../src/nix/version.js";
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

describe("command spellings by what nix --version answers (the first is asked, the other when it is refused as unknown)", () => {
  const CONFIG_SHOW = ["config", "show"];
  const SHOW_CONFIG = ["show-config"];
  const INFO = ["store", "info"];
  const PING = ["store", "ping"];
  it.each([
    ["nix (Nix) 2.8.0", SHOW_CONFIG, PING],
    ["nix (Nix) 2.19.3", SHOW_CONFIG, PING],
    ["nix (Nix) 2.20.0pre20231223_b7f0179", SHOW_CONFIG, PING],
    ["nix (Nix) 2.20.0", CONFIG_SHOW, INFO],
    ["nix (Nix) 2.26.3", CONFIG_SHOW, INFO],
    ["nix (Nix) 2.34.8", CONFIG_SHOW, INFO],
    ["nix (Determinate Nix 3.8.5) 2.30.2", CONFIG_SHOW, INFO],
    // Lix 2.90 renamed show-config as upstream 2.20 did, but registers only `nix store ping`
    ["nix (Lix, like Nix) 2.94.0", CONFIG_SHOW, PING],
    ["nix (Lix, like Nix) 2.90.0", CONFIG_SHOW, PING],
    ["something else", SHOW_CONFIG, PING],
  ])("%s: %j, %j", async (line, config, info) => {
    const nix = parseNixVersion(line);
    const configs = await configShowArgs(nix);
    const infos = await storeInfoArgs(nix);
    expect(configs[0]).toEqual(config);
    expect(infos[0]).toEqual(info);
    expect(configs).toHaveLength(2);
    expect(infos).toHaveLength(2);
    expect(configs[1]).toEqual(config === SHOW_CONFIG ? CONFIG_SHOW : SHOW_CONFIG);
    expect(infos[1]).toEqual(info === PING ? INFO : PING);
  });
});
