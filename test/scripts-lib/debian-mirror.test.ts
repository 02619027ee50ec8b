// scripts/lib/debian-mirror.mjs: the Debian mirror provision-nix.mjs fetches nix-bin from is the one
// this machine's apt uses, read from its source files.
import { describe, expect, it } from "vitest";
import { debianMirror, mirrorFromSources } from "../../scripts/lib/debian-mirror.mjs";

const sources = (name: string, ...lines: string[]) => ({ name: `/etc/apt/sources.list.d/${name}`, text: lines.join("\n") });
const list = (...lines: string[]) => ({ name: "/etc/apt/sources.list", text: lines.join("\n") });

describe("mirrorFromSources", () => {
  it.each([
    ["deb822: the first URI", [sources("debian.sources", "Types: deb", "URIs: http://m.test/debian", "Suites: bookworm", "", "Types: deb", "URIs: http://m.test/debian-security", "Suites: bookworm-security")], "http://m.test/debian"],
    ["deb822: the security archive is passed over", [sources("debian.sources", "Types: deb", "URIs: http://m.test/debian-security", "", "Types: deb", "URIs: http://m.test/debian")], "http://m.test/debian"],
    ["deb822: several URIs on one line, the first not security", [sources("a.sources", "URIs: https://s.test/debian-security https://m.test/debian")], "https://m.test/debian"],
    ["deb822: the key in any case", [sources("a.sources", "uris: http://m.test/debian")], "http://m.test/debian"],
    ["one-line: options before the URI", [list("deb [signed-by=/usr/share/keyrings/k.gpg arch=amd64] http://m.test/debian bookworm main")], "http://m.test/debian"],
    ["one-line: deb-src and comments are not mirrors", [list("# deb http://c.test/debian bookworm main", "deb-src http://s.test/debian bookworm main", "deb http://m.test/debian bookworm main")], "http://m.test/debian"],
    ["one-line: the security archive is passed over", [list("deb http://m.test/debian-security bookworm-security main", "deb http://m.test/debian bookworm main")], "http://m.test/debian"],
    ["every .sources comes before the one-line lists, as apt reads them", [list("deb http://l.test/debian bookworm main"), sources("z.sources", "URIs: http://s.test/debian")], "http://s.test/debian"],
    ["only the security archive: none", [list("deb http://m.test/debian-security bookworm-security main")], undefined],
    ["no files: none", [], undefined],
  ])("%s", (_, files, mirror) => {
    expect(mirrorFromSources(files)).toBe(mirror);
  });
});

describe("debianMirror", () => {
  it("NIX_PROVISION_MIRROR wins over apt's sources", () => {
    expect(debianMirror({ NIX_PROVISION_MIRROR: "http://given.test/debian" })).toBe("http://given.test/debian");
  });
});
