export const GITEA_VERSION: string;
/** .tools/gitea-server/gitea */
export const giteaBinary: string;
/** The run-time folders (templates, options, public) Gitea reads from STATIC_ROOT_PATH without `bindata`. */
export const GITEA_ASSET_DIRS: string[];
/** The folder to give Gitea as STATIC_ROOT_PATH. */
export const giteaStaticRoot: string;
/** Builds Gitea from the Go module proxy into .tools/gitea-server when missing; returns the binary's path. */
export function installGitea(): string;
