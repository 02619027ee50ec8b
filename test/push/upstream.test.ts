import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "../../scripts/lib/http-server.mjs";
import { describe, expect, it } from "vitest";
import { UnknownAnswer } from "../../src/nix/answer.js";
import { netrcLogin } from "../../src/push/front.js";
import { lookups, mapLimit } from "../../src/push/skip.js";
import { narinfoHash, narinfoText, nixBase32, parsePathMetas, upstreamOf } from "../../src/push/upstream.js";

// Recorded from `nix path-info --json -r` of one path signed by a stand-in upstream key: Nix 2.8
// (a list), 2.26 (an object keyed by path) and 2.34 with --json-format 1 (the same, with storeDir and version).
const SIG = "up-1:QMTsob7KJE4tHKvqLvhzkpcdt5+LjQA6cI6t/9GdFwFXrpiSvRMFLEj1x3XVynf7dAiGK02WcX216wLGixPGCA==";
const P = "/nix/store/w1113nzqs2gvv0lp916yrd84c7hn4ck2-b";
const RECORDED = {
  "2.8": `[{"path":"${P}","narHash":"sha256-EHMGEbquUnHBww2TcCsNrE3gb5QcxdC8MKSHuGAyQdw=","narSize":160,"references":[],"deriver":"/nix/store/5aswr55cm6kiw8zql5zj8ry9y454xwyq-b.drv","registrationTime":1796687802,"ultimate":true,"signatures":["${SIG}"]}]`,
  "2.26": `{"${P}":{"ca":null,"deriver":"/nix/store/5aswr55cm6kiw8zql5zj8ry9y454xwyq-b.drv","narHash":"sha256-EHMGEbquUnHBww2TcCsNrE3gb5QcxdC8MKSHuGAyQdw=","narSize":160,"references":[],"registrationTime":1796687802,"signatures":["${SIG}"],"ultimate":true}}`,
  "2.34": `{"${P}":{"ca":null,"deriver":"/nix/store/5aswr55cm6kiw8zql5zj8ry9y454xwyq-b.drv","narHash":"sha256-EHMGEbquUnHBww2TcCsNrE3gb5QcxdC8MKSHuGAyQdw=","narSize":160,"references":[],"registrationTime":1796687802,"signatures":["${SIG}"],"storeDir":"/nix/store","ultimate":true,"version":1}}`,
};

describe("parsePathMetas (pure, recorded answers)", () => {
  it.each(Object.entries(RECORDED))("Nix %s", (_v, text) => {
    const [m] = parsePathMetas(text);
    expect(m).toMatchObject({ path: P, narSize: 160, references: [], signatures: [SIG], deriver: "/nix/store/5aswr55cm6kiw8zql5zj8ry9y454xwyq-b.drv" });
    expect(m.ca).toBeUndefined();
    expect(upstreamOf(m, [{ key: "other-1", url: "x" }, { key: "up-1", url: "https://up.example" }])?.url).toBe("https://up.example");
    expect(upstreamOf(m, [{ key: "up", url: "x" }])).toBeUndefined();
  });

  it("leaves out paths that are not valid and refuses shapes it does not know", () => {
    expect(parsePathMetas(`{"${P}":null}`)).toEqual([]);
    expect(() => parsePathMetas("3")).toThrow(UnknownAnswer);
    expect(() => parsePathMetas(`{"${P}":{"narSize":1}}`)).toThrow(/without path, narHash/);
  });
});

describe("narinfo for a vouched path (pure)", () => {
  it("nixBase32 matches Nix's encoding of a store path hash and of a sha256", () => {
    // `nix hash to-base32 sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=` (sha256 of nothing), as Nix prints it
    expect(nixBase32(createHash("sha256").update("").digest())).toBe("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73");
    expect(narinfoHash("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")).toBe("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73");
    // and of the recorded path above, as `nix hash to-base32` prints it
    expect(narinfoHash("sha256-EHMGEbquUnHBww2TcCsNrE3gb5QcxdC8MKSHuGAyQdw=")).toBe("sha256:1p2169hbi1x462yd1i8wjipy0kdc1lmp14qdqg0p2lmfp88hcwqh");
    expect(narinfoHash("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73")).toBe("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73");
  });

  it("names the path, its references by name, its hash and size, and every signature", () => {
    const text = narinfoText({ path: P, narHash: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", narSize: 160, references: [P, "/nix/store/a0000000000000000000000000000000-dep"], signatures: [SIG] });
    expect(text.split("\n")).toEqual([
      `StorePath: ${P}`,
      "URL: nar/0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73.nar",
      "Compression: none",
      "NarHash: sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73",
      "NarSize: 160",
      "References: w1113nzqs2gvv0lp916yrd84c7hn4ck2-b a0000000000000000000000000000000-dep",
      `Sig: ${SIG}`,
      "",
    ]);
  });
});

describe("the front's credentials for push-to (pure)", () => {
  const netrc = "machine other.example login a password b\nmachine cache.example login ci password s3cret\ndefault login anon password x";
  it.each<[string, { user: string; password: string } | undefined]>([
    ["cache.example", { user: "ci", password: "s3cret" }],
    ["other.example", { user: "a", password: "b" }],
    ["unknown.example", { user: "anon", password: "x" }],
  ])("%s", (host, want) => expect(netrcLogin(netrc, host)).toEqual(want));
  it("no entry, no credentials", () => expect(netrcLogin("machine a login b password c", "d")).toBeUndefined());
});

describe("mapLimit", () => {
  it("keeps order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe("narinfo lookups (a real HTTP server on 127.0.0.1)", () => {
  const A = "/nix/store/a0000000000000000000000000000000-a";
  const B = "/nix/store/b0000000000000000000000000000000-b";

  it("true only for a narinfo the cache answers; a file:// cache is asked by its folder", async () => {
    const asked: string[] = [];
    const s = await startServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === "/a0000000000000000000000000000000.narinfo" ? 200 : 404).end();
    });
    try {
      const ask = lookups(5000);
      expect([await ask(s.origin, A), await ask(`${s.origin}/`, B)]).toEqual([true, false]);
      expect(asked).toEqual(["HEAD /a0000000000000000000000000000000.narinfo", "HEAD /b0000000000000000000000000000000.narinfo"]);
      const dir = mkdtempSync(path.join(os.tmpdir(), "nra-lookup-"));
      writeFileSync(path.join(dir, "b0000000000000000000000000000000.narinfo"), "x");
      expect([await ask(`file://${dir}`, A), await ask(`file://${dir}`, B)]).toEqual([false, true]);
      rmSync(dir, { recursive: true });
    } finally {
      await s.stop();
    }
  });

  it("a cache that never answers costs the total bound once, and is not asked again", async () => {
    let asked = 0;
    const s = await startServer(() => {
      asked++; // holds every request open
    });
    try {
      const ask = lookups(500);
      const t0 = Date.now();
      const answers = await mapLimit(Array.from({ length: 40 }, () => A), 8, (p) => ask(s.origin, p));
      expect(answers.every((a) => a === false)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(asked).toBeLessThanOrEqual(8);
    } finally {
      await s.stop();
    }
  });
});
