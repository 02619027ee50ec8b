import { ActionError } from "../errors.js";
import type { Flavour } from "./inputs.js";
import type { PullPlan } from "./plan.js";

/** The part of the global fetch the client uses: tests hand in a recorder, the step hands in fetch. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;

export interface ForgeTarget {
  /** API base without a trailing slash: <server>/api/v1 (Gitea, Forgejo) or https://api.github.com. */
  api: string;
  /** owner/repo */
  repository: string;
  token: string;
  flavour: Flavour;
}

export interface PullRequest {
  number: number;
  head?: { ref?: string };
  base?: { ref?: string };
}

/** Lists are read page by page up to these limits: enough for any repository, and never an endless loop. */
export const MAX_PULL_PAGES = 10;
export const MAX_LABEL_PAGES = 20;
/** Gitea's and Forgejo's largest page by default (MAX_RESPONSE_ITEMS); a server set lower sends fewer. */
const PAGE = 50;

/** How the client reaches the forge: its fetch, and the headers every call sends. */
interface Api {
  fetchLike: FetchLike;
  headers: Record<string, string>;
}

/** One API call. `missing`: what a 404 stands for instead of a failure (an endpoint that may not apply here). */
async function call<T>(api: Api, method: string, url: string, body?: unknown, missing?: T): Promise<T> {
  let status: number;
  let ok: boolean;
  let text: string;
  try {
    const res = await api.fetchLike(url, { method, headers: api.headers, body: body === undefined ? undefined : JSON.stringify(body) });
    ({ status, ok } = res);
    text = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new ActionError(`${method} ${url} failed: ${cause ?? (err as Error).message ?? String(err)}; check the api-url input`);
  }
  if (status === 404 && missing !== undefined) return missing;
  if (!ok) throw new ActionError(`${method} ${url} answered ${status}: ${text.slice(0, 500)}`);
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    throw new ActionError(`${method} ${url} answered ${status} with something other than JSON: ${text.slice(0, 200)}`);
  }
}

/** Reads `url`'s pages until `done` says so, a page is empty or `max` pages were read. */
async function pages<T>(api: Api, url: (page: number) => string, max: number, done: (items: T[]) => boolean, missing?: T[]): Promise<void> {
  for (let page = 1; page <= max; page++) {
    const list = await call<T[]>(api, "GET", url(page), undefined, missing);
    if (!Array.isArray(list) || list.length === 0 || done(list)) return;
  }
}

/** Names → ids from one label list, into `found`; stops once every name is there. */
function collectLabels(api: Api, url: string, names: string[], found: Map<string, number>, optional: boolean): Promise<void> {
  return pages<{ id: number; name: string }>(
    api,
    (page) => `${url}?page=${page}&limit=${PAGE}`,
    MAX_LABEL_PAGES,
    (list) => {
      for (const l of list) if (names.includes(l.name) && !found.has(l.name)) found.set(l.name, l.id);
      return names.every((n) => found.has(n));
    },
    optional ? [] : undefined,
  );
}

/**
 * The forge's REST API, as much of it as the bump needs. Gitea and Forgejo share one API (`/api/v1`)
 * and GitHub's has the same paths for these calls; they differ in paging parameters (both are sent)
 * and in labels, which Gitea takes by id and GitHub by name.
 */
export function forgeClient(t: ForgeTarget, fetchLike: FetchLike) {
  const repo = `${t.api}/repos/${t.repository}`;
  const api: Api = { fetchLike, headers: { Authorization: `token ${t.token}`, Accept: "application/json", "Content-Type": "application/json" } };

  return {
    /** The open pull request from `head` into `base`, if there is one. */
    async findOpenPull(head: string, base: string): Promise<PullRequest | undefined> {
      let existing: PullRequest | undefined;
      await pages<PullRequest>(
        api,
        (page) => `${repo}/pulls?state=open&page=${page}&limit=${PAGE}&per_page=${PAGE}`,
        MAX_PULL_PAGES,
        (list) => (existing = list.find((p) => p.head?.ref === head && p.base?.ref === base)) !== undefined,
      );
      return existing;
    },

    createPull: (p: { title: string; body: string; head: string; base: string }) => call<PullRequest>(api, "POST", `${repo}/pulls`, p),

    updatePull: (number: number, p: { title: string; body: string }) => call<PullRequest>(api, "PATCH", `${repo}/pulls/${number}`, p),

    /**
     * Gitea/Forgejo: label names → ids, from the repository's labels, then its organisation's (org
     * labels apply to its repositories; a user's repository answers 404 there, which is no error).
     */
    async labelIds(names: string[]): Promise<{ ids: number[]; missing: string[] }> {
      const found = new Map<string, number>();
      await collectLabels(api, `${repo}/labels`, names, found, false);
      if (!names.every((n) => found.has(n))) {
        await collectLabels(api, `${t.api}/orgs/${encodeURIComponent(owner(t.repository))}/labels`, names, found, true);
      }
      return { ids: names.filter((n) => found.has(n)).map((n) => found.get(n) as number), missing: names.filter((n) => !found.has(n)) };
    },

    /** Gitea takes ids, GitHub names. */
    addLabels: (number: number, labels: (number | string)[]) => call<unknown>(api, "POST", `${repo}/issues/${number}/labels`, { labels }),
  };
}

export type ForgeClient = ReturnType<typeof forgeClient>;

export const owner = (repository: string): string => repository.split("/")[0];

export interface PullResult {
  number: number;
  opened: boolean;
  /** Label names the forge does not have (Gitea/Forgejo; GitHub creates missing labels itself). */
  missingLabels: string[];
}

/** Updates the open pull request from the bump branch, or opens one, then puts the labels on it. */
export async function openOrUpdatePull(forge: ForgeClient, flavour: Flavour, plan: PullPlan): Promise<PullResult> {
  const { title, body, head, base } = plan;
  const existing = await forge.findOpenPull(head, base);
  const pr = existing ? await forge.updatePull(existing.number, { title, body }) : await forge.createPull({ title, body, head, base });
  if (typeof pr?.number !== "number") throw new ActionError(`the forge answered the pull request ${existing ? "update" : "creation"} without a number`);
  let missingLabels: string[] = [];
  if (plan.labels.length > 0) {
    if (flavour === "github") {
      await forge.addLabels(pr.number, plan.labels);
    } else {
      const { ids, missing } = await forge.labelIds(plan.labels);
      missingLabels = missing;
      if (ids.length > 0) await forge.addLabels(pr.number, ids);
    }
  }
  return { number: pr.number, opened: !existing, missingLabels };
}
