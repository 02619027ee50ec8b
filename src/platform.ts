/** Which forge's runner runs this job: the main step's `platform` output, and the bump's API flavour. */
export type Platform = "github" | "gitea" | "forgejo" | "act";

/**
 * FORGEJO_ACTIONS, then GITEA_ACTIONS, then ACT. Gitea's and Forgejo's runners set ACT=true in every
 * job, host mode included, so ACT only means "act itself" when neither forge variable is set, and it
 * never says anything about containers.
 */
export function detectPlatform(env: NodeJS.ProcessEnv): Platform {
  if (isTrue(env.FORGEJO_ACTIONS)) return "forgejo";
  if (isTrue(env.GITEA_ACTIONS)) return "gitea";
  if (isTrue(env.ACT)) return "act";
  return "github";
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v !== "" && v !== "false" && v !== "0";
}
