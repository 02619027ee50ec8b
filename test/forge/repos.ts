// Repositories on the suite's Gitea, as users have them: the action mirrored as a release (built
// dist/, tag v1) under an owner that is not `org` (reserved in Gitea), the stand-in for
// actions/checkout, and the callers' repositories, each pushed with git. Runs, jobs and logs are
// read back through the API.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";
import type { Gitea } from "./gitea.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The owner the action is mirrored under (`org`, the templates' placeholder, is reserved in Gitea). */
export const MIRROR_OWNER = "nra";
export const CHECKOUT_STAND_IN = path.join(ROOT, "test/fixtures/forge/checkout-stand-in");

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "forge-suite",
      GIT_AUTHOR_EMAIL: "forge-suite@example.invalid",
      GIT_COMMITTER_NAME: "forge-suite",
      GIT_COMMITTER_EMAIL: "forge-suite@example.invalid",
      ...env,
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/**
 * How users point the workflows at their mirror: `uses: org/nix-runner-action…` becomes the mirror
 * (short form, DEFAULT_ACTIONS_URL=self) or its full URL (DEFAULT_ACTIONS_URL=github, where
 * actions/checkout must be a full URL to a mirror too).
 */
export function rewriteUses(text: string, gitea: Pick<Gitea, "url">, form: "short" | "url"): string {
  const prefix = form === "short" ? "" : `${gitea.url}/`;
  let out = text.replace(/(uses:\s*)org\/nix-runner-action\b/g, `$1${prefix}${MIRROR_OWNER}/nix-runner-action`);
  if (form === "url") out = out.replace(/(uses:\s*)actions\/checkout@/g, `$1${gitea.url}/actions/checkout@`);
  return out;
}

/** Creates an empty public repository `owner/name` (owner: a user or an organisation). */
export async function createRepo(gitea: Gitea, owner: string, name: string): Promise<void> {
  const r = await fetch(`${gitea.url}/api/v1/orgs/${owner}`);
  const create = r.ok ? `/orgs/${owner}/repos` : owner === gitea.admin.name ? "/user/repos" : `/admin/users/${owner}/repos`;
  await gitea.api("POST", create, { name, private: false, auto_init: false, default_branch: "main" });
}

/** Pushes `dir`'s main and tags to `owner/name` as the admin (force: the bump's tests rewrite history of a fixture). */
export function pushTree(gitea: Gitea, owner: string, name: string, dir: string, refs: string[] = ["main"]): string {
  git(dir, ["push", "-q", "--force", `${gitea.url}/${owner}/${name}.git`, ...refs, "--tags"], gitea.gitEnv);
  return git(dir, ["rev-parse", "HEAD"]);
}

/**
 * Waits (bounded) until Gitea has taken in a push: its branch shows `sha`. Gitea marks a new
 * repository non-empty from a queue after the first push returns; until then Gitea 1.27.3 answers
 * the branch and dispatch endpoints with a 500 (a nil git repository in modules/git/repo_object.go).
 */
export async function branchAt(gitea: Gitea, repo: string, branch: string, sha: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const r = await fetch(`${gitea.url}/api/v1/repos/${repo}/branches/${encodeURIComponent(branch)}`, { headers: { Authorization: `token ${gitea.admin.token}` } });
    const b = r.ok ? ((await r.json()) as { commit?: { id: string } }) : (await r.text(), undefined);
    if (b?.commit?.id === sha) return;
    await sleep(250);
  }
  throw new Error(`${repo}: branch ${branch} not at ${sha} within 30 s`);
}

/** createRepo, then pushTree. */
export async function pushRepo(gitea: Gitea, owner: string, name: string, dir: string): Promise<string> {
  await createRepo(gitea, owner, name);
  return pushTree(gitea, owner, name, dir);
}

/** Commits everything in `dir` (a new repository when it is not one yet) and returns the commit. */
export function commitAll(dir: string, message: string): string {
  try {
    git(dir, ["rev-parse", "--git-dir"]);
  } catch {
    git(dir, ["init", "-q", "-b", "main"]);
  }
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--allow-empty", "-m", message]);
  return git(dir, ["rev-parse", "HEAD"]);
}

/** True for a workflow that only other workflows call (`on: workflow_call`): it queues no job of its own. */
function onlyCalled(file: string): boolean {
  const on = (parse(readFileSync(file, "utf8")) as { on?: unknown })?.on;
  const events = typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on ?? {});
  return events.length === 1 && events[0] === "workflow_call";
}

/**
 * The action as a release: every file the repository tracks as it is in the work tree (dist/ as
 * built), the `uses:` lines pointed at the mirror, and of .gitea/workflows only the reusable
 * workflows (the repository's own e2e workflows would queue jobs on the mirror). Tagged v1.
 */
export async function mirrorAction(gitea: Gitea, form: "short" | "url"): Promise<{ sha: string; dropped: string[] }> {
  const dir = tempDir("nra-forge-mirror-");
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  const missing = files.filter((f) => !existsSync(path.join(ROOT, f)));
  const needed = missing.filter((f) => f.startsWith("dist/") || f.endsWith("action.yml"));
  if (needed.length > 0) throw new Error(`the release copy lacks ${needed.length} committed file(s) (${needed.slice(0, 3).join(", ")}…): build dist/ first (npm run build)`);
  for (const f of files.filter((f) => !missing.includes(f))) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(dir, f));
  }
  const wf = path.join(dir, ".gitea/workflows");
  const dropped: string[] = [];
  for (const f of readdirSync(wf)) {
    const file = path.join(wf, f);
    if (!onlyCalled(file)) {
      rmSync(file);
      dropped.push(f);
      continue;
    }
    writeFileSync(file, rewriteUses(readFileSync(file, "utf8"), gitea, form));
  }
  const sha = commitAll(dir, "nix-runner-action release (forge suite mirror)");
  git(dir, ["tag", "v1"]);
  await pushRepo(gitea, MIRROR_OWNER, "nix-runner-action", dir);
  rmSync(dir, { recursive: true, force: true });
  return { sha, dropped };
}

/** The stand-in for actions/checkout at actions/checkout@v4 (an organisation `actions`, as a mirror would be). */
export async function mirrorCheckoutStandIn(gitea: Gitea): Promise<void> {
  await gitea.api("POST", "/orgs", { username: "actions", visibility: "public" });
  const dir = tempDir("nra-forge-checkout-");
  cpSync(CHECKOUT_STAND_IN, dir, { recursive: true });
  commitAll(dir, "checkout STAND-IN (nix-runner-action forge suite)");
  git(dir, ["tag", "v4"]);
  await pushRepo(gitea, "actions", "checkout", dir);
  await gitea.api("PATCH", "/repos/actions/checkout", { description: "STAND-IN for actions/checkout: nix-runner-action's forge suite only" });
  rmSync(dir, { recursive: true, force: true });
}

export interface Run {
  id: number;
  status: string;
  conclusion?: string;
  head_sha: string;
  event: string;
  path: string;
}
export interface Job {
  id: number;
  name: string;
  status: string;
  conclusion?: string;
  runner_name?: string;
  labels: string[];
  steps: { name: string; number: number; status: string; conclusion?: string }[];
}

export async function runs(gitea: Gitea, repo: string): Promise<Run[]> {
  return (await gitea.api<{ workflow_runs: Run[] | null }>("GET", `/repos/${repo}/actions/runs?limit=50`)).workflow_runs ?? [];
}

/** Waits (bounded) for a run that `match` picks to complete; returns it with its jobs and their logs. */
export async function waitRun(
  gitea: Gitea,
  repo: string,
  match: (r: Run) => boolean,
  timeoutMs = 300_000,
): Promise<{ run: Run; jobs: (Job & { log: string })[] }> {
  const deadline = Date.now() + timeoutMs;
  let last: Run | undefined;
  while (Date.now() < deadline) {
    last = (await runs(gitea, repo)).find(match);
    if (last && last.status === "completed") break;
    await sleep(1000);
  }
  if (!last) throw new Error(`no run in ${repo} within ${timeoutMs} ms`);
  const { jobs } = await gitea.api<{ jobs: Job[] }>("GET", `/repos/${repo}/actions/runs/${last.id}/jobs`);
  const withLogs = await Promise.all(
    jobs.map(async (j) => ({ ...j, log: await gitea.apiText(`/repos/${repo}/actions/jobs/${j.id}/logs`).catch((e) => `(no log: ${String(e)})`) })),
  );
  if (last.status !== "completed") {
    throw new Error(`run ${last.id} in ${repo} still ${last.status} after ${timeoutMs} ms; jobs: ${withLogs.map((j) => `${j.name} ${j.status}\n${j.log.slice(-3000)}`).join("\n")}`);
  }
  return { run: last, jobs: withLogs };
}
