import { describe, expect, it } from "vitest";
import { classify, type DirProbe, type Facts, storeAccess } from "../../src/detect/classify.js";
import { ActionError } from "../../src/errors.js";
import { parseNixVersion } from "../../src/nix/version.js";

const base: Facts = {
  nixPath: "/nix/var/nix/profiles/default/bin/nix",
  nixVersion: parseNixVersion("nix (Nix) 2.24.10"),
  daemonSocket: false,
  viaDaemon: false,
  storeWritable: true,
  autoPicksDaemon: false,
  uid: 0,
  user: "root",
  sudo: false,
  pid1Systemd: false,
  container: true,
  daemonSharesConfig: false,
  platform: "gitea",
};

describe("classify (docs/design.md §1)", () => {
  it.each<[string, Partial<Facts>, string, "systemd" | "none"]>([
    ["Nix image: nix on PATH, no daemon, root-owned store", {}, "image", "none"],
    ["Nix image run as another user that owns the store", { uid: 1000, user: "runner" }, "image", "none"],
    ["host runner, non-root, daemon socket, store not writable", { container: false, uid: 1001, user: "act", storeWritable: false, daemonSocket: true, viaDaemon: true }, "native", "none"],
    ["host runner as root on the cache host (socket present, store writable)", { container: false, daemonSocket: true }, "native", "none"],
    ["container with the host's daemon socket mounted", { daemonSocket: true, viaDaemon: true, storeWritable: false, uid: 1000 }, "native", "none"],
    ["container as root, host socket mounted and NIX_REMOTE=daemon", { daemonSocket: true, viaDaemon: true }, "native", "none"],
    ["ubuntu-latest on GitHub: no nix, systemd", { nixPath: undefined, nixVersion: undefined, container: false, pid1Systemd: true, platform: "github" }, "installed", "systemd"],
    ["ubuntu container under act_runner: no nix, no systemd", { nixPath: undefined, nixVersion: undefined }, "installed", "none"],
  ])("%s → %s", (_name, over, kind, init) => {
    const env = classify({ ...base, ...over });
    expect(env.kind).toBe(kind);
    expect(env.init).toBe(init);
  });

  it("passes platform and container through", () => {
    expect(classify({ ...base, container: false, platform: "forgejo" })).toMatchObject({ platform: "forgejo", container: false });
  });

  it.each([
    ["image", { daemonSocket: true, viaDaemon: true }, "image"],
    ["native", {}, "native"],
    ["install", {}, "installed"],
    ["install", { nixPath: undefined }, "installed"],
  ] as const)("mode %s overrides detection", (mode, over, kind) => {
    expect(classify({ ...base, ...over }, mode).kind).toBe(kind);
  });

  it.each(["image", "native"] as const)("mode %s without nix on PATH is a clear error", (mode) => {
    expect(() => classify({ ...base, nixPath: undefined }, mode)).toThrow(ActionError);
    expect(() => classify({ ...base, nixPath: undefined }, mode)).toThrow(/mode is "\w+" but there is no nix on PATH; use mode: install/);
  });
});

describe("storeAccess: can this job open the store directly, as Nix's local store would", () => {
  const dir = (p: string, exists: boolean, usable: boolean): DirProbe => ({ path: p, exists, usable });
  const probe = (store: [boolean, boolean], state: [boolean, boolean], db: [boolean, boolean]) => ({
    store: dir("/nix/store", ...store),
    state: dir("/nix/var/nix", ...state),
    db: dir("/nix/var/nix/db", ...db),
  });
  it.each<[string, ReturnType<typeof probe>, RegExp | true]>([
    ["a used store of this user's", probe([true, true], [true, true], [true, true]), true],
    ["right after apt-get install nix-bin: no /nix at all, / writable (root)", probe([false, true], [false, true], [false, true]), true],
    ["a store whose /nix/var/nix was never made", probe([true, true], [false, true], [false, true]), true],
    ["a state dir without db/ yet", probe([true, true], [true, true], [false, true]), true],
    ["no /nix, and this user cannot create it", probe([false, false], [false, false], [false, false]), /state directory \/nix\/var\/nix does not exist and this user cannot create it/],
    ["a multi-user store seen by a non-root user", probe([true, false], [true, false], [true, false]), /database \/nix\/var\/nix\/db is read-only or belongs to another user/],
    ["the host's database mounted read-only under a writable /nix/var/nix", probe([true, false], [true, true], [true, false]), /database .* is read-only/],
    ["a read-only /nix/store from the host, state dir writable", probe([true, false], [true, true], [true, true]), /the Nix store \/nix\/store is read-only or belongs to another user/],
    ["a writable state dir but a store this user cannot create", probe([false, false], [true, true], [true, true]), /the Nix store \/nix\/store does not exist and this user cannot create it/],
  ])("%s", (_name, p, want) => {
    const got = storeAccess(p);
    if (want === true) expect(got).toEqual({ writable: true });
    else expect(got.writable === false && got.why).toMatch(want);
  });
});
