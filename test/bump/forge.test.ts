// The bump's forge client against the recording forge (test/workflows/recording-forge.ts): an HTTP
// server on 127.0.0.1 standing in for the Gitea/Forgejo or GitHub API, the one thing that cannot
// exist here. The client gets the real global fetch.
import { afterEach, describe, expect, it } from "vitest";
import { type FetchLike, forgeClient, type ForgeTarget, MAX_LABEL_PAGES, MAX_PULL_PAGES, openOrUpdatePull } from "../../src/bump/forge.js";
import { planBump } from "../../src/bump/plan.js";
import { ActionError } from "../../src/errors.js";
import { freePort } from "../../scripts/lib/http-server.mjs";
import { type Label, type RecordingForge, startRecordingForge } from "../workflows/recording-forge.js";

const TOKEN = "tok-unit-secret";
const forges: RecordingForge[] = [];
afterEach(async () => {
  for (const f of forges.splice(0)) await f.stop();
});

async function forge(labels: Label[], options?: Parameters<typeof startRecordingForge>[1]): Promise<RecordingForge> {
  const f = await startRecordingForge(labels, options);
  forges.push(f);
  return f;
}

const target = (f: RecordingForge, flavour: ForgeTarget["flavour"]): ForgeTarget => ({ api: f.url, repository: "acme/app", token: TOKEN, flavour });
const realFetch: FetchLike = (url, init) => fetch(url, init);
/** "METHOD /path" and, for label lists, the page. */
const calls = (f: RecordingForge) =>
  f.requests.map((r) => {
    const u = new URL(r.path, "http://x");
    return `${r.method} ${u.pathname}${u.pathname.endsWith("/labels") && r.method === "GET" ? ` page ${u.searchParams.get("page")}` : ""}`;
  });
const pull = (labels: string[], base = "main", date = "20260302") =>
  planBump({ mode: "pull-request", base, bumpBranch: "ci/bump-nixpkgs", input: "nixpkgs", labels }, date).pull!;

describe("forge client: Gitea/Forgejo API (recording forge on 127.0.0.1)", () => {
  it("opens a pull request, then finds and updates it instead of opening a second", async () => {
    const f = await forge([]);
    const client = forgeClient(target(f, "gitea"), realFetch);
    const first = await openOrUpdatePull(client, "gitea", pull([]));
    expect(first).toEqual({ number: 41, opened: true, missingLabels: [] });
    expect(f.requests[1].body).toEqual({ title: "chore(ci): Update nixos to 20260302", body: expect.stringContaining("`nixpkgs`"), head: "ci/bump-nixpkgs", base: "main" });

    const second = await openOrUpdatePull(client, "gitea", pull([], "main", "20260410"));
    expect(second).toEqual({ number: 41, opened: false, missingLabels: [] });
    expect(calls(f)).toEqual(["GET /api/v1/repos/acme/app/pulls", "POST /api/v1/repos/acme/app/pulls", "GET /api/v1/repos/acme/app/pulls", "PATCH /api/v1/repos/acme/app/pulls/41"]);
    expect(f.pulls).toHaveLength(1);
    expect(f.pulls[0].title).toBe("chore(ci): Update nixos to 20260410");
    expect(f.requests[0].path).toContain("state=open");
  });

  it("a pull request from the same branch into another base is not the bump's: a new one is opened", async () => {
    const f = await forge([]);
    const client = forgeClient(target(f, "gitea"), realFetch);
    await openOrUpdatePull(client, "gitea", pull([], "release"));
    const r = await openOrUpdatePull(client, "gitea", pull([], "main"));
    expect(r.opened).toBe(true);
    expect(f.pulls.map((p) => p.base.ref)).toEqual(["release", "main"]);
  });

  it("looks labels up by name through every page of the repository's labels, then the organisation's; ids in the order asked", async () => {
    // two a page, as on a server with MAX_RESPONSE_ITEMS=2: "nix" is on page 2, "dependencies" an org label
    const f = await forge([{ id: 11, name: "other" }, { id: 12, name: "ci" }, { id: 9, name: "nix" }], { pageSize: 2, orgLabels: [{ id: 7, name: "dependencies" }] });
    const client = forgeClient(target(f, "gitea"), realFetch);
    const r = await openOrUpdatePull(client, "gitea", pull(["dependencies", "nix", "no-such-label"]));
    expect(r.missingLabels).toEqual(["no-such-label"]);
    expect(calls(f)).toEqual([
      "GET /api/v1/repos/acme/app/pulls",
      "POST /api/v1/repos/acme/app/pulls",
      "GET /api/v1/repos/acme/app/labels page 1",
      "GET /api/v1/repos/acme/app/labels page 2",
      "GET /api/v1/repos/acme/app/labels page 3",
      "GET /api/v1/orgs/acme/labels page 1",
      "GET /api/v1/orgs/acme/labels page 2",
      "POST /api/v1/repos/acme/app/issues/41/labels",
    ]);
    expect(f.requests.at(-1)?.body).toEqual({ labels: [7, 9] });
    expect(f.pulls[0].labels).toEqual([7, 9]);
  });

  it("stops reading label pages once every name is found, and asks the organisation nothing then", async () => {
    const f = await forge([{ id: 1, name: "a" }, { id: 2, name: "b" }, { id: 3, name: "c" }, { id: 4, name: "d" }], { pageSize: 2, orgLabels: [] });
    const r = await forgeClient(target(f, "gitea"), realFetch).labelIds(["b", "a"]);
    expect(r).toEqual({ ids: [2, 1], missing: [] });
    expect(calls(f)).toEqual(["GET /api/v1/repos/acme/app/labels page 1"]);
  });

  it("an owner that is a user (404 on /orgs/…/labels) is no error: the label is reported missing", async () => {
    const f = await forge([{ id: 9, name: "nix" }]);
    const r = await forgeClient(target(f, "gitea"), realFetch).labelIds(["nix", "dependencies"]);
    expect(r).toEqual({ ids: [9], missing: ["dependencies"] });
    expect(calls(f).at(-1)).toBe("GET /api/v1/orgs/acme/labels page 1");
  });

  it("no label found: nothing is posted", async () => {
    const f = await forge([]);
    const r = await openOrUpdatePull(forgeClient(target(f, "gitea"), realFetch), "gitea", pull(["ghost"]));
    expect(r.missingLabels).toEqual(["ghost"]);
    expect(f.requests.some((q) => q.path.includes("/issues/"))).toBe(false);
  });

  it("sends the token in the Authorization header of every call, never in a URL", async () => {
    const f = await forge([{ id: 9, name: "nix" }]);
    await openOrUpdatePull(forgeClient(target(f, "gitea"), realFetch), "gitea", pull(["nix"]));
    expect(f.requests.length).toBeGreaterThan(2);
    for (const r of f.requests) {
      expect(r.authorization).toBe(`token ${TOKEN}`);
      expect(r.path).not.toContain(TOKEN);
    }
  });
});

describe("forge client: GitHub API (recording forge on 127.0.0.1)", () => {
  it("adds labels by name in one call, without looking any up", async () => {
    const f = await forge([{ id: 9, name: "nix" }]);
    const r = await openOrUpdatePull(forgeClient(target(f, "github"), realFetch), "github", pull(["dependencies", "nix"]));
    expect(r).toEqual({ number: 41, opened: true, missingLabels: [] });
    expect(calls(f)).toEqual(["GET /api/v1/repos/acme/app/pulls", "POST /api/v1/repos/acme/app/pulls", "POST /api/v1/repos/acme/app/issues/41/labels"]);
    expect(f.requests.at(-1)?.body).toEqual({ labels: ["dependencies", "nix"] });
    // GitHub pages with per_page, Gitea with limit: the list asks both
    expect(new URL(f.requests[0].path, "http://x").searchParams.get("per_page")).toBe("50");
  });

  it("no labels: no label call", async () => {
    const f = await forge([]);
    await openOrUpdatePull(forgeClient(target(f, "github"), realFetch), "github", pull([]));
    expect(calls(f)).toEqual(["GET /api/v1/repos/acme/app/pulls", "POST /api/v1/repos/acme/app/pulls"]);
  });
});

describe("forge client: failures say what was asked and what came back", () => {
  it("a refused call names the method, the URL and the forge's answer", async () => {
    const f = await forge([]);
    const client = forgeClient(target(f, "gitea"), realFetch);
    const err = await client.addLabels(99, [1]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toBe(`POST ${f.url}/repos/acme/app/issues/99/labels answered 404: {"message":"no such issue"}`);
  });

  it("a forge that is not there is an error that points at api-url", async () => {
    const port = await freePort();
    const client = forgeClient({ api: `http://127.0.0.1:${port}/api/v1`, repository: "acme/app", token: TOKEN, flavour: "gitea" }, realFetch);
    const err = await client.findOpenPull("ci/bump-nixpkgs", "main").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toMatch(new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/api/v1/repos/acme/app/pulls\\?\\S+ failed: .*ECONNREFUSED.*check the api-url input$`));
  });
});

describe("forge client: paging is bounded (a fetch-like stand-in that always has another full page)", () => {
  const endless = (urls: string[]): FetchLike => async (url) => {
    urls.push(url);
    const items = url.includes("/pulls") ? [{ number: 1, head: { ref: "other" }, base: { ref: "main" } }] : [{ id: 1, name: "other" }];
    return { status: 200, ok: true, text: async () => JSON.stringify(items) };
  };

  it(`reads at most ${MAX_PULL_PAGES} pages of pull requests and ${MAX_LABEL_PAGES} of each label list`, async () => {
    const urls: string[] = [];
    const client = forgeClient({ api: "http://forge.invalid/api/v1", repository: "acme/app", token: TOKEN, flavour: "gitea" }, endless(urls));
    expect(await client.findOpenPull("ci/bump-nixpkgs", "main")).toBeUndefined();
    expect(urls.map((u) => new URL(u).searchParams.get("page"))).toEqual(Array.from({ length: MAX_PULL_PAGES }, (_, i) => String(i + 1)));
    urls.length = 0;
    expect(await client.labelIds(["nix"])).toEqual({ ids: [], missing: ["nix"] });
    expect(urls.filter((u) => u.includes("/repos/"))).toHaveLength(MAX_LABEL_PAGES);
    expect(urls.filter((u) => u.includes("/orgs/acme/"))).toHaveLength(MAX_LABEL_PAGES);
  });
});
