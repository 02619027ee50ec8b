import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type BaseConfig, defaultUserConfFiles, missing, parseShowConfig, renderConf, userConfFiles } from "../../src/nix/config.js";
import { decideTrust, ignoredByDaemon } from "../../src/nix/trust.js";

const base: BaseConfig = {
  substituters: ["https://cache.nixos.org/"],
  trustedPublicKeys: ["cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY="],
  trustedSubstituters: [],
  trustedUsers: ["root"],
  experimentalFeatures: [],
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

  it("enables flakes only where they are not on already", () => {
    expect(renderConf(req, base)).toContain("extra-experimental-features = nix-command flakes");
    expect(renderConf(req, { ...base, experimentalFeatures: ["nix-command", "flakes"] })).not.toContain("experimental-features");
    expect(renderConf(req, { ...base, experimentalFeatures: ["nix-command"] })).toContain("extra-experimental-features = flakes\n");
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

describe("userConfFiles", () => {
  it("puts ours first and keeps the user's XDG files when NIX_USER_CONF_FILES is unset", () => {
    const env = { HOME: "/home/runner" };
    expect(defaultUserConfFiles(env)).toEqual(["/home/runner/.config/nix/nix.conf", "/etc/xdg/nix/nix.conf"]);
    expect(userConfFiles("/tmp/r/nix.conf", env).withOurs).toBe("/tmp/r/nix.conf:/home/runner/.config/nix/nix.conf:/etc/xdg/nix/nix.conf");
  });
  it("is idempotent: a second run does not add ours again", () => {
    const first = userConfFiles("/tmp/r/nix.conf", { NIX_USER_CONF_FILES: "/a.conf" });
    const second = userConfFiles("/tmp/r/nix.conf", { NIX_USER_CONF_FILES: first.withOurs });
    expect(second).toEqual(first);
    expect(first).toEqual({ withOurs: "/tmp/r/nix.conf:/a.conf", without: "/a.conf" });
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
      { substituters: ["http://cache.lan", "https://cache.nixos.org"], trustedPublicKeys: ["lan:AAAA"], extraConf: "max-silent-time = 60\nmax-jobs = 4\naccept-flake-config = true", netrc: true, hook: false },
      { ...base, trustedSubstituters: [] },
      "runner",
    );
    expect(out).toEqual([
      { setting: "substituters http://cache.lan", fix: "extra-trusted-substituters = http://cache.lan" },
      { setting: "trusted-public-keys lan", fix: "extra-trusted-public-keys = lan:AAAA" },
      { setting: "netrc-file", fix: "trusted-users = runner (or put the netrc in the daemon's netrc-file)" },
      { setting: "extra-conf max-jobs", fix: "trusted-users = runner" },
    ]);
  });
  it("allows substituters the admin listed in trusted-substituters", () => {
    const out = ignoredByDaemon({ substituters: ["http://cache.lan/"], trustedPublicKeys: [], extraConf: "", netrc: false, hook: false }, { ...base, trustedSubstituters: ["http://cache.lan"] }, "runner");
    expect(out).toEqual([]);
  });
});

describe("parseShowConfig", () => {
  it("reads Nix's text output, experimental features by name", () => {
    const text = execFileSync("nix", ["--extra-experimental-features", "nix-command flakes", "show-config"], {
      env: { ...process.env, NIX_CONFIG: "extra-substituters = http://127.0.0.1:18003\ntrusted-users = root @wheel" },
    }).toString();
    const c = parseShowConfig(text);
    expect(c.experimentalFeatures).toEqual(expect.arrayContaining(["flakes", "nix-command"]));
    expect(c.substituters).toContain("http://127.0.0.1:18003");
    expect(c.trustedUsers).toEqual(["root", "@wheel"]);
  });
});
