// scripts/lib/debian-mirror.mjs: the Debian mirror provision-nix and build-images.mjs (debootstrap)
// fetch from, read from apt's own sources so that no mirror is named in the scripts.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deb822Uris, debianMirror, oneLineUris } from "../../scripts/lib/debian-mirror.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";

/** An /etc/apt stand-in holding `files` (paths relative to it). */
function aptDir(files: Record<string, string>): string {
  const dir = tempDir("nra-apt-");
  mkdirSync(path.join(dir, "sources.list.d"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("the sources' URIs", () => {
  it.each([
    ["Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n", ["http://deb.debian.org/debian"]],
    ["uris:   http://a/debian http://b/debian\n", ["http://a/debian", "http://b/debian"]],
    ["Types: deb\n# URIs: http://commented/debian\n", []],
  ])("deb822 %j", (text, uris) => expect(deb822Uris(text)).toEqual(uris));

  it.each([
    ["deb http://deb.debian.org/debian bookworm main\n", ["http://deb.debian.org/debian"]],
    ["deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] https://m.example/debian bookworm main\n", ["https://m.example/debian"]],
    ["# deb http://commented/debian bookworm main\ndeb-src http://src/debian bookworm main\n", []],
  ])("one-line %j", (text, uris) => expect(oneLineUris(text)).toEqual(uris));
});

describe("debianMirror", () => {
  it("takes the first .sources file's first URI that is not the security archive", () => {
    const dir = aptDir({
      "sources.list.d/a.sources": "Types: deb\nURIs: http://security.debian.org/debian-security\n",
      "sources.list.d/b.sources": "Types: deb\nURIs: http://deb.debian.org/debian\n",
      "sources.list": "deb http://one-line/debian bookworm main\n",
    });
    expect(debianMirror({}, dir)).toBe("http://deb.debian.org/debian");
  });

  it("falls back to the one-line lists, sources.list first, and NIX_PROVISION_MIRROR wins over all", () => {
    const dir = aptDir({ "sources.list": "deb http://security.debian.org/debian-security bookworm-security main\ndeb http://one-line/debian bookworm main\n", "sources.list.d/x.list": "deb http://later/debian bookworm main\n" });
    expect(debianMirror({}, dir)).toBe("http://one-line/debian");
    expect(debianMirror({ NIX_PROVISION_MIRROR: "http://chosen/debian" }, dir)).toBe("http://chosen/debian");
  });

  it("as a program, prints it (here NIX_PROVISION_MIRROR's) for bash", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/lib/debian-mirror.mjs")], { encoding: "utf8", env: { ...process.env, NIX_PROVISION_MIRROR: "http://chosen/debian" } });
    expect(r.stdout).toBe("http://chosen/debian\n");
    expect(r.status).toBe(0);
  });

  it("has none when apt names only the security archive", () => {
    expect(debianMirror({}, aptDir({ "sources.list.d/s.sources": "URIs: http://security.debian.org/debian-security\n" }))).toBeUndefined();
  });
});
