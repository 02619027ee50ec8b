import { describe, expect, it } from "vitest";
import { readsEtcNix, userConfFiles } from "../../src/nix/conf-files.js";

// The conf-file reader against real Nix is in conf-files.integration.test.ts.

describe("userConfFiles", () => {
  it("lists the files in the order Nix applies them", () => {
    expect(userConfFiles({ HOME: "/h", XDG_CONFIG_DIRS: "/a:/b" })).toEqual(["/b/nix/nix.conf", "/a/nix/nix.conf", "/h/.config/nix/nix.conf"]);
    expect(userConfFiles({ HOME: "/h" })).toEqual(["/etc/xdg/nix/nix.conf", "/h/.config/nix/nix.conf"]);
    expect(userConfFiles({ NIX_USER_CONF_FILES: "/1:/2", HOME: "/h" })).toEqual(["/2", "/1"]);
    expect(userConfFiles({ NIX_USER_CONF_FILES: "", HOME: "/h" })).toEqual([]);
  });
});

describe("readsEtcNix", () => {
  it.each([
    ["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nix-2.28.3/bin/nix", true],
    ["/usr/bin/nix", true],
    ["/bin/nix", true],
    ["/usr/local/bin/nix", false],
    ["/opt/nix/bin/nix", false],
    ["/home/ci/src/nix/build/src/nix/nix", false],
  ])("%s: %s", (p, known) => expect(readsEtcNix(p)).toBe(known));
});
