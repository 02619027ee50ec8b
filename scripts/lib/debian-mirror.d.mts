/** The URIs of a deb822 .sources file's `URIs:` fields. */
export function deb822Uris(text: string): string[];
/** The URI of each `deb` line of a one-line sources list. */
export function oneLineUris(text: string): string[];
/** NIX_PROVISION_MIRROR, else the first non-security URI of apt's sources under `aptDir` (default /etc/apt); undefined when none. */
export function debianMirror(env?: NodeJS.ProcessEnv, aptDir?: string): string | undefined;
/** The error text when there is no mirror: what to set. */
export const NO_MIRROR: string;
