/** The images' tags; the Nix ones name the version of the nix they are built with. */
export function tags(nixVersion: string): { nix: string; shared: string; noremote: string; debian: string };
/** The version in `nix --version`'s output; throws naming the output when there is none. */
export function nixVersionOf(out: string): string;
/** A Debian package version as upstream numbers it (no epoch, Debian revision or +dfsg). */
export function upstreamVersion(v: string): string;
/** The env of a Nix image, NIX_REMOTE only when given. */
export function imageEnv(paths: { nix: string; git: string }, nixRemote?: string): string[];
/** The image config JSON of a one-layer image, as dockerTools.buildImage writes it. */
export function imageConfig(env: string[], recipe: string, layerDigest: string): string;
