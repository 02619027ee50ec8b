export interface SourceFile {
  name: string;
  text: string;
}
/** The first non-security mirror of apt's source files: every .sources (deb822) before every .list. */
export function mirrorFromSources(files: SourceFile[]): string | undefined;
/** NIX_PROVISION_MIRROR, else this machine's apt mirror; throws when there is none. */
export function debianMirror(env?: NodeJS.ProcessEnv): string;
