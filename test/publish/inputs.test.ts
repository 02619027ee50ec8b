import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { readPublishInputs } from "../../src/publish/inputs.js";

const BASE = { archive: "/tmp/runner-image", image: "git.example.com/ci/nix-runner" };

function read(values: Record<string, string>) {
  const masked: string[] = [];
  return { inputs: readPublishInputs((n) => values[n] ?? "", (s) => masked.push(s)), masked };
}
function errorOf(values: Record<string, string>): string[] {
  try {
    read(values);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message.split("\n");
  }
  throw new Error("no error");
}

describe("readPublishInputs", () => {
  it("empty inputs: no extra tag (action.yml's default is latest unstable), 3 retries, TLS verified, no login", () => {
    expect(read(BASE).inputs).toEqual({ ...BASE, extraTags: [], dateTag: "", insecure: false, retryTimes: 3, username: "", password: "" });
  });

  it("takes the caller's values; the password is masked", () => {
    const { inputs, masked } = read({ ...BASE, "extra-tags": "latest  v2\nstable", "date-tag": "20260115", "insecure-registry": "true", "retry-times": "0", "registry-username": "ci", "registry-password": "s3cret" });
    expect(inputs).toMatchObject({ extraTags: ["latest", "v2", "stable"], dateTag: "20260115", insecure: true, retryTimes: 0, username: "ci", password: "s3cret" });
    expect(masked).toEqual(["s3cret"]);
  });

  it("reports every problem at once, each naming the input and the fix", () => {
    expect(errorOf({ image: "git.example.com/ci/nix-runner:latest", "date-tag": "-bad", "extra-tags": "ok no/slash", "insecure-registry": "yes", "retry-times": "three", "registry-password": "p" })).toEqual([
      "registry-password is set but registry-username is empty: pass both secrets, or neither for a registry without login",
      "archive: empty; pass the path of the image the flake built (the nix build result)",
      'image: "git.example.com/ci/nix-runner:latest" must be a reference without tag or digest, e.g. git.example.com/ci/nix-runner (the tags are date-tag and extra-tags)',
      'date-tag: "-bad" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)',
      'extra-tags: "no/slash" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)',
      'insecure-registry must be true or false (got "yes")',
      'retry-times must be a whole number from 0 to 100 (got "three")',
    ]);
  });

  it("a registry with a port is not a tag; a digest is refused", () => {
    expect(read({ ...BASE, image: "127.0.0.1:5000/ci/img" }).inputs.image).toBe("127.0.0.1:5000/ci/img");
    expect(errorOf({ ...BASE, image: "r.example/img@sha256:abc" })[0]).toContain("must be a reference without tag or digest");
    expect(errorOf({ archive: "/a" })[0]).toBe("image: empty; give the image reference without a tag, e.g. git.example.com/ci/nix-runner");
  });
});
