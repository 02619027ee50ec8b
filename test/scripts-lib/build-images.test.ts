// scripts/containers/build-images.mjs's pure parts: the tags the e2e and the forge suite name, the
// versions read from Nix and dpkg, and the env a Nix image gets.
import { describe, expect, it } from "vitest";
import { imageEnv, nixVersionOf, tags, upstreamVersion } from "../../scripts/containers/build-images.mjs";

describe("build-images.mjs", () => {
  it("tags the Nix images with the version of the nix they carry, the Debian one with bookworm", () => {
    expect(tags(nixVersionOf("nix (Nix) 2.34.8\n"))).toEqual({
      nix: "localhost/nra-nix-job:2.34.8",
      shared: "localhost/nra-nix-job-shared:2.34.8",
      noremote: "localhost/nra-nix-job-shared-noremote:2.34.8",
      debian: "localhost/nra-debian:bookworm",
    });
  });

  it("refuses a nix --version it cannot read, or of a Nix that is not upstream's, quoting it", () => {
    expect(() => nixVersionOf("Determinate Nix 3.1\n")).toThrow(/said "Determinate Nix 3.1"/);
    expect(() => nixVersionOf("nix (Lix, like Nix) 2.94.0\n")).toThrow(/said "nix \(Lix, like Nix\) 2.94.0", not "nix \(Nix\) VERSION"/);
    expect(() => nixVersionOf("nix (Determinate Nix 3.8.5) 2.30.2\n")).toThrow(/put an upstream Nix first on PATH/);
  });

  it("reads the version as the action does: suffixes off, a missing patch number is 0", () => {
    expect(nixVersionOf("nix (Nix) 2.24.10pre20240101_abc\n")).toBe("2.24.10");
    expect(nixVersionOf("nix (Nix) 2.4\n")).toBe("2.4.0");
  });

  it.each([
    ["5.2.15-2+b8", "5.2.15"],
    ["1:2.39.5-0+deb12u3", "2.39.5"],
    ["20230311+deb12u1", "20230311+deb12u1"],
    ["1.5.4+dfsg2-5", "1.5.4"],
    ["9.1-1", "9.1"],
  ])("names a bundle after the upstream version of Debian's %s: %s", (debian, upstream) => {
    expect(upstreamVersion(debian)).toBe(upstream);
  });

  it("gives the shared image NIX_REMOTE=daemon and the noremote one none; both point Nix and git at their store paths", () => {
    const paths = { nix: "/nix/store/a-nix-2.8.0", git: "/nix/store/b-git-2.39.5" };
    const remote = imageEnv(paths, "daemon");
    expect(remote).toContain("NIX_REMOTE=daemon");
    expect(remote).toContain("NIX_BIN_DIR=/nix/store/a-nix-2.8.0/bin");
    expect(remote).toContain("GIT_EXEC_PATH=/nix/store/b-git-2.39.5/libexec/git-core");
    expect(imageEnv(paths).some((e) => e.startsWith("NIX_REMOTE="))).toBe(false);
  });
});
