import { ActionError } from "../errors.js";
import { type ExecResult, run } from "../exec.js";
import * as io from "../step-io.js";

/*
 * The bump's git: the checkout's own remote and credentials (actions/checkout keeps its token in the
 * repository's config), so no token is handled here.
 */

type Git = (args: string[], opts?: { echo?: boolean; env?: NodeJS.ProcessEnv }) => Promise<ExecResult>;

export function gitIn(workspace: string): Git {
  return (args, opts = {}) => run("git", args, { cwd: workspace, echo: opts.echo, env: { ...process.env, ...opts.env } });
}

async function must(git: Git, args: string[], what: string, opts?: { echo?: boolean; env?: NodeJS.ProcessEnv }): Promise<string> {
  const r = await git(args, opts);
  if (r.code !== 0) throw new ActionError(`${what} failed: git ${args.join(" ")} exited ${r.code}: ${(r.stderr.trim() || r.stdout.trim()).slice(0, 500)}`);
  return r.stdout.trim();
}

/**
 * The bump starts from `base`, not from whatever branch the caller was run on: a bump dispatched from
 * a feature branch must not carry its commits.
 */
export async function startFrom(git: Git, base: string): Promise<void> {
  const current = await must(git, ["rev-parse", "--abbrev-ref", "HEAD"], "reading the checked-out branch");
  if (current === base) return;
  io.info(`Checked out ${current}; switching to the tip of ${base}`);
  await must(git, ["fetch", "--quiet", "--depth=1", "origin", `refs/heads/${base}`], `fetching ${base}`);
  await must(git, ["checkout", "--quiet", "-B", base, "FETCH_HEAD"], `checking out ${base}`);
}

/** True when flake.lock differs from the checked-out commit. */
export async function lockChanged(git: Git): Promise<boolean> {
  const r = await git(["diff", "--quiet", "--", "flake.lock"]);
  if (r.code > 1) throw new ActionError(`git diff -- flake.lock failed: ${r.stderr.trim()}`);
  return r.code === 1;
}

export async function commitLock(git: Git, message: string, author: { name: string; email: string }): Promise<void> {
  const env = { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email };
  await must(git, ["commit", "--quiet", "-m", message, "--", "flake.lock"], "committing flake.lock", { env });
  io.info(await must(git, ["--no-pager", "log", "-1", "--format=committed %h %s (%an <%ae>)"], "reading the commit"));
}

/** Pushes HEAD to `branch` (see BumpPlan.push); returns false when it was skipped as already there. */
export async function pushHead(git: Git, p: { branch: string; force: boolean; skipWhenSame: boolean }, base: string): Promise<boolean> {
  const ref = `refs/heads/${p.branch}`;
  if (p.skipWhenSame) {
    const fetched = await git(["fetch", "--quiet", "--depth=1", "origin", ref]);
    if (fetched.code === 0 && (await git(["diff", "--quiet", "FETCH_HEAD", "HEAD"])).code === 0) {
      io.info(`${p.branch} already carries this flake.lock on top of ${base}; not pushing it again`);
      return false;
    }
  }
  await must(git, ["push", ...(p.force ? ["--force"] : []), "origin", `HEAD:${ref}`], `pushing to ${p.branch}`, { echo: true });
  io.info(`pushed to ${p.branch}`);
  return true;
}
