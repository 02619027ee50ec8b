/** Which CI runs this job: the main step's `platform` output, and the bump's API flavour. */
export type Platform = "github" | "gitea" | "forgejo" | "act" | "gitlab";

/**
 * GITLAB_CI (GitLab's runner sets it in every job; only the CLI runs there), then FORGEJO_ACTIONS,
 * GITEA_ACTIONS and ACT. Gitea's and Forgejo's runners set ACT=true in every job, host mode included,
 * so ACT only means "act itself" when neither forge variable is set, and it never says anything about
 * containers.
 */
export function detectPlatform(env: NodeJS.ProcessEnv): Platform {
  if (isTrue(env.GITLAB_CI)) return "gitlab";
  if (isTrue(env.FORGEJO_ACTIONS)) return "forgejo";
  if (isTrue(env.GITEA_ACTIONS)) return "gitea";
  if (isTrue(env.ACT)) return "act";
  return "github";
}

export function isTrue(v: string | undefined): boolean {
  return v !== undefined && v !== "" && v !== "false" && v !== "0";
}
