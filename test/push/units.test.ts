import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backoffBefore, DEFAULT_LIMITS, limitsFrom } from "../../src/push/limits.js";
import { idleLimitFrom } from "../../src/push/background.js";
import { hookScript } from "../../src/push/prepare.js";
import { chunks } from "../../src/push/copy.js";
import { summaryHtml } from "../../src/step-io.js";
import { classifyFailure, errorLine, failureHint, parseCopyLog, redactCredentials, summaryTable } from "../../src/push/report.js";
import { chooseMethod, filterPaths, newEntries, storePathOf } from "../../src/push/select.js";
import { buildPushUrl } from "../../src/push/url.js";
import { pushTarget } from "../../src/push-target.js";

const S = "/nix/store";
const h = (c: string) => c.repeat(32);
const P = (c: string, name: string) => `${S}/${h(c)}-${name}`;

describe("filterPaths (pure)", () => {
  const cases: { name: string; in: string[]; filter: string; keep: string[] }[] = [
    { name: "keeps plain outputs", in: [P("a", "hello-1.0")], filter: "", keep: [P("a", "hello-1.0")] },
    { name: "drops .drv, .lock, .check", in: [P("a", "x.drv"), P("b", "y.lock"), P("c", "z.check"), P("d", "ok")], filter: "", keep: [P("d", "ok")] },
    { name: "deduplicates, keeps first order", in: [P("b", "two"), P("a", "one"), P("b", "two")], filter: "", keep: [P("b", "two"), P("a", "one")] },
    { name: "a file inside a path means the path", in: [`${P("a", "app")}/bin/app`], filter: "", keep: [P("a", "app")] },
    { name: "push-filter matches are dropped", in: [P("a", "source"), P("b", "app")], filter: "-source$", keep: [P("b", "app")] },
    { name: "non-store paths are dropped", in: ["/tmp/x", "", P("a", "app")], filter: "", keep: [P("a", "app")] },
    { name: "a store dir prefix without hash is not a path", in: [`${S}/.links`, `${S}/short-x`], filter: "", keep: [] },
  ];
  for (const c of cases) it(c.name, () => expect(filterPaths(c.in, S, c.filter).keep).toEqual(c.keep));
  it("counts what it dropped", () => expect(filterPaths([P("a", "x.drv"), P("b", "src")], S, "src").dropped).toBe(2));
  it("storePathOf respects another store dir", () => expect(storePathOf(`/gnu/store/${h("a")}-x/y`, "/gnu/store")).toBe(`/gnu/store/${h("a")}-x`));
});

describe("newEntries (pure)", () => {
  it("is what appeared, without dot entries", () => {
    expect(newEntries(["a", "b"], ["a", "b", "c", ".links", "d"], S)).toEqual([`${S}/c`, `${S}/d`]);
  });
});

describe("chooseMethod (pure)", () => {
  const t = (trusted: boolean | "unknown") => (trusted === "unknown" ? { trusted, how: "cannot see" } : { trusted, how: "x" });
  const cases: { name: string; paths: string[]; viaDaemon: boolean; daemonSharesConfig: boolean; trusted: boolean | "unknown"; want: string }[] = [
    { name: "push-paths wins", paths: ["/nix/store/x"], viaDaemon: false, daemonSharesConfig: true, trusted: true, want: "paths" },
    { name: "single-user / image: hook", paths: [], viaDaemon: false, daemonSharesConfig: false, trusted: true, want: "hook" },
    { name: "daemon, trusted, on the host or in our own container: hook", paths: [], viaDaemon: true, daemonSharesConfig: true, trusted: true, want: "hook" },
    { name: "daemon, trusted, host socket mounted into a container: diff", paths: [], viaDaemon: true, daemonSharesConfig: false, trusted: true, want: "diff" },
    { name: "daemon, untrusted: diff", paths: [], viaDaemon: true, daemonSharesConfig: true, trusted: false, want: "diff" },
    { name: "daemon, trust unknown: diff", paths: [], viaDaemon: true, daemonSharesConfig: false, trusted: "unknown", want: "diff" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = chooseMethod(c.paths, { viaDaemon: c.viaDaemon, daemonSharesConfig: c.daemonSharesConfig, user: "runner" }, t(c.trusted));
      expect(got.method).toBe(c.want);
      expect(got.why.length).toBeGreaterThan(20);
    });
  }
  it("the untrusted reason names the user", () =>
    expect(chooseMethod([], { viaDaemon: true, daemonSharesConfig: true, user: "runner" }, t(false)).why).toMatch(/does not trust user "runner"/));
});

describe("buildPushUrl (pure)", () => {
  const cases: { name: string; url: string; key?: string; want: string; signLocally?: boolean }[] = [
    { name: "file: adds zstd, parallel, key file", url: "file:///srv/cache", key: "/t/k", want: "file:///srv/cache?compression=zstd&parallel-compression=true&secret-key=/t/k" },
    { name: "keeps the user's compression", url: "https://c.example/?compression=xz", key: "/t/k", want: "https://c.example/?compression=xz&parallel-compression=true&secret-key=/t/k" },
    { name: "keeps the user's parallel-compression", url: "http://c:8080?parallel-compression=false", want: "http://c:8080?parallel-compression=false&compression=zstd" },
    { name: "no key: no secret-key", url: "s3://bucket?region=eu-west-1", want: "s3://bucket?region=eu-west-1&compression=zstd&parallel-compression=true" },
    { name: "our key replaces one in the URL", url: "file:///c?secret-key=/etc/old", key: "/t/k", want: "file:///c?compression=zstd&parallel-compression=true&secret-key=/t/k" },
    { name: "ssh-ng: no cache params, sign locally", url: "ssh-ng://builder@host", key: "/t/k", want: "ssh-ng://builder@host", signLocally: true },
    { name: "key path with a space is encoded, slashes kept", url: "file:///c", key: "/t/my dir/k", want: "file:///c?compression=zstd&parallel-compression=true&secret-key=/t/my%20dir/k" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = buildPushUrl(pushTarget(c.url), { keyFile: c.key });
      expect(got.url).toBe(c.want);
      expect(got.signLocally).toBe(c.signLocally ?? false);
    });
  }
  it("what a log may show of the cache: no credentials, query or key path", () => {
    expect(pushTarget("https://user:pa55@cache.example/x?secret-key=/t/k").display).toBe("https://cache.example/x");
    expect(pushTarget("file:///srv/c?compression=zstd").display).toBe("file:///srv/c");
    expect(pushTarget("ssh-ng://cache@host").display).toBe("ssh-ng://cache@host");
    expect(pushTarget("ssh://cache:pw@host").display).toBe("ssh://host");
  });
  it("the target knows its scheme, whether it is a binary cache, how it signs, and the password to mask", () => {
    expect(pushTarget("s3://bucket?region=eu-west-1")).toMatchObject({ scheme: "s3:", binaryCache: true, signs: "at-upload", password: "" });
    expect(pushTarget("ssh-ng://builder@host")).toMatchObject({ scheme: "ssh-ng:", binaryCache: false, signs: "in-local-store" });
    expect(pushTarget("https://ci:p%40ss@cache.example").password).toBe("p@ss");
  });
});

describe("nix output parsing (pure, fed real Nix 2.8 lines)", () => {
  it("parseCopyLog counts each uploaded path once with its NAR bytes", () => {
    const log = [
      "querying info about '/nix/store/aaa-x' on 'file:///c'...",
      "copying path '/nix/store/aaa-x' (120 bytes, compressed 26.7% in 0 ms) to binary cache",
      "copying path '/nix/store/bbb-y' (1000 bytes, compressed 10.0% in 1 ms) to binary cache",
      "copying path '/nix/store/aaa-x' (120 bytes, compressed 26.7% in 0 ms) to binary cache",
    ].join("\n");
    const c = parseCopyLog(log, true);
    expect([...c.paths]).toEqual(["/nix/store/aaa-x", "/nix/store/bbb-y"]);
    expect(c.narBytes).toBe(1120);
  });
  const failures: [string, "permanent" | "transient"][] = [
    ["error: unable to upload 'http://127.0.0.1:1/nar/x.nar.zst': HTTP error 500 (curl error: )", "transient"],
    ["error: unable to download 'http://127.0.0.1:1/nix-cache-info': Couldn't connect to server (7)", "transient"],
    ["error: don't know how to open Nix store 's3://b'", "permanent"],
    ["error: unable to upload 'https://c/x': HTTP error 401", "permanent"],
    ["error: unable to upload 'https://c/x': HTTP error 403", "permanent"],
    ["error: path '/nix/store/x' is not valid", "permanent"],
    ["error: path '/nix/store/x' is required, but there is no substituter that can build it", "permanent"],
    ["error: cannot add path '/nix/store/x' because it lacks a valid signature", "permanent"],
    ["error: cannot add path '/nix/store/x' because it lacks a signature by a trusted key", "permanent"],
    // push-to's settings refused by nix copy (measured: 2.8 refuses a compression only at the upload, 2.34 as it opens the store)
    ["error: unknown compression method 'bogus'", "permanent"],
    ["error: option 'compression' has invalid value 'bogus'\nTry 'nix --help' for more information.", "permanent"],
    ["error: Boolean setting 'parallel-compression' has invalid value 'maybe'", "permanent"],
    ["error: setting 'priority' has invalid value 'abc'", "permanent"],
    // an unknown setting is only a warning: the failure after it is what counts
    ["warning: unknown setting 'compresion'\nerror: unable to upload 'http://127.0.0.1:1/nar/x.nar.zst': HTTP error 500 (curl error: )", "transient"],
  ];
  for (const [text, kind] of failures) it(`classifies "${text.slice(7, 60)}…" as ${kind}`, () => expect(classifyFailure(text)).toBe(kind));
  // the words of Debian's nix-bin 2.8.0 and 2.26.3, both built without S3
  const hints: [string, RegExp | ""][] = [
    ["error: don't know how to open Nix store 's3://nra-bucket?endpoint=http://127.0.0.1:1'", /built without S3 support/],
    ["error: don't know how to open Nix store with scheme 's3'", /built without S3 support/],
    ["error: cannot add path '/nix/store/x' because it lacks a valid signature", /trusted-public-keys/],
    ["error: cannot add path '/nix/store/x' because it lacks a signature by a trusted key", /trusted-public-keys/],
    ["error: unable to upload 'http://h/b/nix-cache-info': HTTP error 404\n\nresponse body:\n<Error><Code>NoSuchBucket</Code></Error>", /bucket does not exist/],
    ["error: don't know how to open Nix store with scheme 'gs'", ""],
    ["error: unable to upload 'https://c/x': HTTP error 403", ""],
  ];
  for (const [text, want] of hints) {
    it(`failureHint for "${text.slice(7, 60)}…"`, () => (want ? expect(failureHint(text)).toMatch(want) : expect(failureHint(text)).toBe("")));
  }
  it("errorLine takes nix's last error line and hides credentials", () => {
    expect(errorLine("warning: x\nerror: unable to upload 'https://u:secretpw@c/x': HTTP error 500\n")).toBe("unable to upload 'https://***@c/x': HTTP error 500");
    expect(redactCredentials("ssh://me@host and https://a:b@c")).toBe("ssh://me@host and https://***@c");
  });
  it("summaryTable has the columns a person wants and MB/s", () => {
    const t = summaryTable({ cache: "file:///c", method: "hook", selected: 3, uploaded: 2, narBytes: 50_000_000, seconds: 2, result: "ok" });
    expect(t[0].map((c) => c.data)).toEqual(["cache", "method", "paths selected", "paths uploaded", "NAR bytes", "seconds", "MB/s", "result"]);
    expect(t[1].map((c) => c.data)).toEqual(["file:///c", "hook", "3", "2", "50000000", "2.0", "25.0", "ok"]);
  });
  it("summaryTable adds what the background pusher did, and post's wait, when there was one", () => {
    const t = summaryTable({ cache: "file:///c", method: "hook", selected: 8, uploaded: 1, narBytes: 1, seconds: 1, result: "ok", during: { uploaded: 7, narBytes: 7e6, waitedSeconds: 1.25 } });
    expect(t[0].slice(-3).map((c) => c.data)).toEqual(["uploaded during the job", "NAR bytes during the job", "post waited (s)"]);
    expect(t[1].slice(-3).map((c) => c.data)).toEqual(["7", "7000000", "1.3"]);
  });

  it("summaryTable ends with the word on upstreams when there is one, and has no such column otherwise", () => {
    const note = "2 path(s) (10 NAR bytes) left out: served by https://cache.nixos.org";
    const t = summaryTable({ cache: "file:///c", method: "hook", selected: 3, uploaded: 1, narBytes: 1, seconds: 1, result: "ok", upstream: note });
    expect([t[0].at(-1)?.data, t[1].at(-1)?.data]).toEqual(["upstream", note]);
    expect(summaryTable({ cache: "file:///c", method: "hook", selected: 3, uploaded: 1, narBytes: 1, seconds: 1, result: "ok" })[0].map((c) => c.data)).not.toContain("upstream");
  });
});

describe("the job summary is written as @actions/core writes it, without loading it", () => {
  it("summaryHtml equals core.summary.addHeading(…, 3).addTable(rows), empty and special cells included", async () => {
    const { summary } = await import("@actions/core");
    const rows = [
      summaryTable({ cache: "file:///c", method: "hook", selected: 3, uploaded: 2, narBytes: 5, seconds: 2, result: "ok" }),
      summaryTable({ cache: "https://***@c", method: "diff", selected: 0, uploaded: 0, narBytes: 0, seconds: 0, result: "failed: <x> & \"y\"", during: { uploaded: 1, narBytes: 2, waitedSeconds: 0.04 } }),
      [[{ data: "", header: true }, { data: "a" }], [{ data: "" }]],
    ];
    for (const r of rows) {
      const want = summary.emptyBuffer().addHeading("Nix binary cache push", 3).addTable(r).stringify();
      summary.emptyBuffer();
      expect(summaryHtml("Nix binary cache push", r)).toBe(want);
    }
  });
});

describe("the background pusher's idle limit", () => {
  it("2 h unless the test-only variable shortens it; junk ignored", () => {
    expect(idleLimitFrom({})).toBe(2 * 60 * 60_000);
    expect(idleLimitFrom({ NIX_RUNNER_ACTION_TEST_PUSHER_IDLE_MS: "1500" })).toBe(1500);
    expect(idleLimitFrom({ NIX_RUNNER_ACTION_TEST_PUSHER_IDLE_MS: "-1" })).toBe(2 * 60 * 60_000);
  });
});

describe("limits", () => {
  it("defaults without the test-only variable", () => expect(limitsFrom({})).toEqual(DEFAULT_LIMITS));
  it("test-only override, junk ignored per field", () => {
    expect(limitsFrom({ NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "2000,2,50" })).toEqual({ timeoutMs: 2000, attempts: 2, backoffMs: 50 });
    expect(limitsFrom({ NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "x,0,-1" })).toEqual(DEFAULT_LIMITS);
  });
  it("backoff doubles and never exceeds what is left", () => {
    const l = { timeoutMs: 60_000, attempts: 4, backoffMs: 1000 };
    expect([2, 3, 4].map((n) => backoffBefore(n, l, 10_000))).toEqual([1000, 2000, 4000]);
    expect(backoffBefore(4, l, 1500)).toBe(1500);
  });
  it("chunks keep each command line under the budget and lose nothing", () => {
    const paths = Array.from({ length: 100 }, (_, i) => P("a", `p${i}`));
    const c = chunks(paths, 1000);
    expect(c.flat()).toEqual(paths);
    for (const ch of c) expect(ch.join(" ").length).toBeLessThanOrEqual(1000);
    expect(chunks([])).toEqual([]);
  });
});

describe("the hook script (run with a real sh)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nra-hook-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A hook of its own for each test (tests may run in any order), queueing into `queue`. */
  const hookFor = (name: string, queue = path.join(dir, `it's the ${name} queue`)) => {
    const script = path.join(dir, `${name}.sh`);
    writeFileSync(script, hookScript("/bin/sh", queue), { mode: 0o700 });
    return { queue, run: (env: Record<string, string>) => execFileSync(script, { env }) };
  };

  it("appends OUT_PATHS one per line, with no PATH at all", () => {
    const hook = hookFor("out-paths");
    hook.run({ OUT_PATHS: "/nix/store/a-x /nix/store/b-y", DRV_PATH: "/nix/store/c-x.drv" });
    hook.run({ OUT_PATHS: "/nix/store/d-z", DRV_PATH: "/nix/store/e-z.drv" });
    expect(readFileSync(hook.queue, "utf8")).toBe("/nix/store/a-x\n/nix/store/b-y\n/nix/store/d-z\n");
  });
  it("queues DRV_PATH when Nix gives no OUT_PATHS (Nix 2.8)", () => {
    const hook = hookFor("drv-path");
    hook.run({ OUT_PATHS: "", DRV_PATH: "/nix/store/c-x.drv" });
    expect(readFileSync(hook.queue, "utf8")).toBe("/nix/store/c-x.drv\n");
  });
  it("never fails a build, even when the queue cannot be written", () => {
    const hook = hookFor("broken", path.join(dir, "no-such-dir", "queue"));
    expect(() => hook.run({ OUT_PATHS: "/nix/store/a-x" })).not.toThrow();
  });
});
