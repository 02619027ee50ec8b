import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jobFolders, onlyAttributed, parseRoots, rootsUnder, storeLinksUnder } from "../../src/push/attribute.js";
import { summaryTable } from "../../src/push/report.js";

const S = "/nix/store";
const A = `${S}/${"a".repeat(32)}-job-a`;
const B = `${S}/${"b".repeat(32)}-job-b`;

describe("jobFolders", () => {
  it.each([
    [{ GITHUB_WORKSPACE: "/w/repo", RUNNER_TEMP: "/w/_temp" }, ["/w/repo", "/w/_temp"]],
    [{ CI_PROJECT_DIR: "/builds/g/p", RUNNER_TEMP_PROJECT_DIR: "/builds/g/p.tmp" }, ["/builds/g/p", "/builds/g/p.tmp"]],
    // the same folder once; `/` and relative names never (they would claim every root)
    [{ GITHUB_WORKSPACE: "/w/x/", RUNNER_TEMP: "/w/x" }, ["/w/x"]],
    [{ GITHUB_WORKSPACE: "/", RUNNER_TEMP: "tmp" }, []],
    [{}, []],
  ])("%j → %j", (env, want) => {
    expect(jobFolders(env)).toEqual(want);
  });
});

describe("parseRoots: nix-store --gc --print-roots as 2.8 and 2.34 print it", () => {
  it("reads bare (2.8) and quoted (2.34) links, and skips censored and in-memory roots", () => {
    const text = [
      `/w/repo/result -> ${A}`,
      `"/w/other job/result" -> ${B}/bin/x`,
      `"/w/q\\"uote/result" -> ${A}`,
      `{censored} -> ${B}`,
      `{memory:12} -> ${B}`,
      `/proc/123/maps -> /not/the/store`,
      "",
    ].join("\n");
    expect(parseRoots(text, S)).toEqual([
      { link: "/w/repo/result", target: A },
      { link: "/w/other job/result", target: B },
      { link: '/w/q"uote/result', target: A },
    ]);
  });

  it("rootsUnder keeps the links in the job's folders, not in a sibling folder with the same prefix", () => {
    const roots = [
      { link: "/w/repo/result", target: A },
      { link: "/w/repo2/result", target: B },
      { link: "/w/_temp/x/result-dev", target: B },
    ];
    expect(rootsUnder(roots, ["/w/repo", "/w/_temp"]).map((r) => r.link)).toEqual(["/w/repo/result", "/w/_temp/x/result-dev"]);
  });
});

describe("storeLinksUnder (real folders)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-attrib-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds links into the store within the bound, skips .git and node_modules, and says when the bound stopped it", async () => {
    mkdirSync(path.join(dir, "sub/deeper"), { recursive: true });
    mkdirSync(path.join(dir, ".git"));
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(A, path.join(dir, "result"));
    symlinkSync(`${B}/lib`, path.join(dir, "sub/deeper/result-lib"));
    symlinkSync(B, path.join(dir, ".git/result"));
    symlinkSync(B, path.join(dir, "node_modules/result"));
    symlinkSync("/etc", path.join(dir, "not-store"));
    symlinkSync(path.join(dir, "sub"), path.join(dir, "loop"));
    const all = await storeLinksUnder([dir, path.join(dir, "missing")], S);
    expect(all.complete).toBe(true);
    expect(all.links.map((l) => [path.relative(dir, l.link), l.target]).sort()).toEqual([
      ["result", A],
      ["sub/deeper/result-lib", B],
    ]);
    const shallow = await storeLinksUnder([dir], S, { depth: 2, entries: 1000 });
    expect(shallow.links.map((l) => l.target)).toEqual([A]);
    const few = await storeLinksUnder([dir], S, { depth: 4, entries: 2 });
    expect(few.complete).toBe(false);
  });
});

describe("onlyAttributed and the summary", () => {
  it("keeps the candidates in the job's closure, in order, and counts the rest", () => {
    expect(onlyAttributed([B, A], new Set([A]))).toEqual({ keep: [A], leftOut: 1 });
  });

  it("the summary names what was left out and the input that pushes it; no column when nothing was judged", () => {
    const row = { cache: "file:///c", method: "diff", selected: 1, uploaded: 1, narBytes: 10, seconds: 1, result: "ok" };
    const [head, cells] = summaryTable({ ...row, leftOut: 3 });
    expect(head.at(-1)).toEqual({ data: "left out (not attributable to this job)", header: true });
    expect(cells.at(-1)).toEqual({ data: "3 (push-unattributed: true pushes them)" });
    expect(summaryTable({ ...row, leftOut: 0 })[1].at(-1)).toEqual({ data: "0" });
    expect(summaryTable(row)[0].map((c) => c.data)).not.toContain("left out (not attributable to this job)");
  });
});
