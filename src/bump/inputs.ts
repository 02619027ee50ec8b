import { InputError } from "../errors.js";
import type { Getter } from "../inputs.js";
import { detectPlatform } from "../platform.js";

export const BUMP_MODES = ["push", "pull-request"] as const;
export const FORGES = ["auto", "gitea", "github"] as const;
export type BumpMode = (typeof BUMP_MODES)[number];
/** The API a pull request is opened through: Gitea's (Forgejo speaks it too) or GitHub's REST API. */
export type Flavour = "gitea" | "github";

export interface BumpInputs {
  /** The flake input to update. */
  input: string;
  mode: BumpMode;
  /** Branch to update (push) or to merge into (pull-request). */
  base: string;
  bumpBranch: string;
  author: { name: string; email: string };
  labels: string[];
  flavour: Flavour;
  /** Base URL of the forge API, without a trailing slash; "" in push mode when none is known. */
  api: string;
  /** owner/repo */
  repository: string;
  token: string;
  /** The checkout: flake.lock and the git repository. */
  workspace: string;
}

/** "a", "a or b", "a, b or c": how the bump's messages have always listed choices. */
const choices = (list: readonly string[]) => (list.length < 2 ? list.join("") : `${list.slice(0, -1).join(", ")} or ${list.at(-1)}`);

/** The value, or undefined (and an error) when it is not one of `allowed`. */
function oneOf<T extends string>(get: Getter, name: string, allowed: readonly T[], dflt: T, errors: string[]): T | undefined {
  const value = get(name) || dflt;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errors.push(`${name} must be ${choices(allowed)} (got "${value}")`);
  return undefined;
}

/**
 * Reads and checks the bump's inputs once; empty ones fall back to what the runner says about this
 * run (GITHUB_REF_NAME, GITHUB_API_URL, GITHUB_REPOSITORY). Every problem is reported at once, as an
 * InputError, before the lock or the repository is touched. `mask` hides the token in the log.
 */
export function readBumpInputs(get: Getter, env: NodeJS.ProcessEnv, mask: (secret: string) => void): BumpInputs {
  const errors: string[] = [];
  const mode = oneOf(get, "mode", BUMP_MODES, "pull-request", errors);
  const forge = oneOf(get, "forge", FORGES, "auto", errors);
  const token = get("token");
  if (token) mask(token);
  const input = get("input") || "nixpkgs";
  const base = get("base-branch") || env.GITHUB_REF_NAME || "";
  if (!base) errors.push("base-branch: empty, and the runner did not say which branch this run is on (GITHUB_REF_NAME); name the branch to update");
  const bumpBranch = get("bump-branch") || "ci/bump-nixpkgs";
  if (mode === "pull-request" && bumpBranch === base) errors.push(`bump-branch: "${bumpBranch}" is the base branch too; a pull request needs a branch of its own`);
  const repository = get("repository") || env.GITHUB_REPOSITORY || "";
  const api = (get("api-url") || env.GITHUB_API_URL || "").replace(/\/+$/, "");
  if (mode === "pull-request") {
    if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) errors.push(`repository must be owner/repo (got "${repository}")`);
    if (!api) errors.push("no forge API URL: set the api-url input");
    else if (!/^https?:\/\/[^/]/.test(api)) errors.push(`api-url: "${api}" is not an http(s) URL; give the API base, e.g. https://git.example.com/api/v1`);
    if (!token) errors.push("no token: pass the token secret");
  }
  if (errors.length > 0 || !mode || !forge) throw new InputError(errors.join("\n"));
  const platform = detectPlatform(env);
  return {
    input,
    mode,
    base,
    bumpBranch,
    author: { name: get("author-name") || "nix-runner-bot", email: get("author-email") || "nix-runner-bot@noreply.invalid" },
    labels: get("labels").split(",").map((s) => s.trim()).filter(Boolean),
    flavour: forge === "auto" ? (platform === "github" ? "github" : "gitea") : forge,
    api,
    repository,
    token,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
  };
}
