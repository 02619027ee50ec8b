import { describe, expect, it } from "vitest";
import { loginArgs, loginFailure, planTags, pushArgs, registryHost, summary, tagArgs } from "../../src/publish/plan.js";

describe("registryHost: the registry an image reference names", () => {
  it.each([
    ["git.example.com/ci/nix-runner", "git.example.com"],
    ["127.0.0.1:5000/ci/nix-runner", "127.0.0.1:5000"],
    ["localhost/nix-runner", "localhost"],
    ["registry:5000/x", "registry:5000"],
    ["library/nix-runner", "docker.io"],
    ["ci/nix-runner", "docker.io"],
    ["nix-runner", "docker.io"],
  ])("%s → %s", (image, host) => {
    expect(registryHost(image)).toBe(host);
  });
});

describe("planTags: one copy from the archive to the date tag, every other tag by digest", () => {
  it("skips the date tag among the extra tags and names each tag once", () => {
    expect(planTags("r.example/ci/img", "20260115", ["latest", "20260115", "unstable", "latest"])).toEqual({
      first: "r.example/ci/img:20260115",
      byDigest: ["latest", "unstable"],
    });
  });

  it("no extra tags: the date tag alone", () => {
    expect(planTags("r.example/ci/img", "v1", [])).toEqual({ first: "r.example/ci/img:v1", byDigest: [] });
  });
});

describe("skopeo command lines", () => {
  const o = { authfile: "/t/auth.json", insecure: false, retryTimes: 3 };
  const insecure = { ...o, insecure: true };

  it("login: the password comes from stdin, into the auth file; plain HTTP only when insecure", () => {
    expect(loginArgs(o, "r.example", "ciuser")).toEqual(["login", "--authfile", "/t/auth.json", "--username", "ciuser", "--password-stdin", "r.example"]);
    expect(loginArgs(insecure, "r.example", "ciuser")).toEqual(["login", "--authfile", "/t/auth.json", "--tls-verify=false", "--username", "ciuser", "--password-stdin", "r.example"]);
  });

  it("the push from the archive writes the digest file and retries", () => {
    expect(pushArgs(o, "/t/image.tar", "r.example/ci/img:20260115", "/t/digest")).toEqual([
      "copy", "--authfile", "/t/auth.json", "--retry-times", "3", "--digestfile", "/t/digest", "docker-archive:/t/image.tar", "docker://r.example/ci/img:20260115",
    ]);
    expect(pushArgs({ ...insecure, retryTimes: 0 }, "/a.tar", "r/i:d", "/d")).toEqual([
      "copy", "--authfile", "/t/auth.json", "--dest-tls-verify=false", "--retry-times", "0", "--digestfile", "/d", "docker-archive:/a.tar", "docker://r/i:d",
    ]);
  });

  it("a tag is a registry-to-registry copy of the pushed digest, digests preserved", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    expect(tagArgs(o, "r.example/ci/img", digest, "latest")).toEqual([
      "copy", "--authfile", "/t/auth.json", "--retry-times", "3", "--preserve-digests", `docker://r.example/ci/img@${digest}`, "docker://r.example/ci/img:latest",
    ]);
    expect(tagArgs(insecure, "r/i", digest, "latest").slice(3, 5)).toEqual(["--src-tls-verify=false", "--dest-tls-verify=false"]);
  });
});

describe("loginFailure: what skopeo said → what to do", () => {
  it.each([
    ['pinging container registry r:5000: Get "https://r:5000/v2/": http: server gave HTTP response to HTTPS client', "r:5000 speaks plain HTTP; set the insecure-registry input to true if that is intended (credentials then travel unencrypted)"],
    ["error logging into \"r:5000\": invalid username/password", "login to r:5000 as bob was refused: check the registry-username and registry-password secrets"],
    ["authenticating creds for \"r:5000\": Requesting bearer token: invalid status code from registry 401 (Unauthorized)", "login to r:5000 as bob was refused: check the registry-username and registry-password secrets"],
    ['dial tcp 127.0.0.1:5000: connect: connection refused', "login to r:5000 failed (see skopeo's message above)"],
  ])("%s", (said, message) => {
    expect(loginFailure(said, "r:5000", "bob")).toBe(message);
  });
});

describe("summary", () => {
  it("a table of every tag pushed and the one digest", () => {
    expect(summary("r/i", { first: "r/i:20260115", byDigest: ["latest"] }, "sha256:x")).toBe(
      "### Runner image\n\n| tag | digest |\n|---|---|\n| `r/i:20260115` | `sha256:x` |\n| `r/i:latest` | `sha256:x` |\n",
    );
  });
});
