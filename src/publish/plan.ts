// The image publication's pure half: which copies to make and the skopeo command lines for them.
// Credentials: the password never appears here (skopeo reads it from stdin into a 0600 auth file).

/**
 * The registry an image reference names: its first path component when that looks like a host (has
 * a . or a :, or is localhost), as docker and skopeo read it; otherwise Docker Hub.
 */
export function registryHost(image: string): string {
  const first = image.split("/")[0];
  return image.includes("/") && (/[.:]/.test(first) || first === "localhost") ? first : "docker.io";
}

export interface TagPlan {
  /** The one copy from the archive: every layer is sent here, once. */
  first: string;
  /** Tags added afterwards by digest, registry to registry: only a manifest is sent for each. */
  byDigest: string[];
}

/** The date tag first, then each other tag once. */
export function planTags(image: string, dateTag: string, extraTags: string[]): TagPlan {
  const byDigest = [...new Set(extraTags)].filter((t) => t !== dateTag);
  return { first: `${image}:${dateTag}`, byDigest };
}

export interface SkopeoOptions {
  /** 0600 auth file: login writes it, the copies read it. */
  authfile: string;
  insecure: boolean;
  retryTimes: number;
}

export function loginArgs(o: SkopeoOptions, registry: string, username: string): string[] {
  return ["login", "--authfile", o.authfile, ...(o.insecure ? ["--tls-verify=false"] : []), "--username", username, "--password-stdin", registry];
}

export function pushArgs(o: SkopeoOptions, archive: string, ref: string, digestfile: string): string[] {
  return [
    "copy", "--authfile", o.authfile, ...(o.insecure ? ["--dest-tls-verify=false"] : []), "--retry-times", String(o.retryTimes),
    "--digestfile", digestfile, `docker-archive:${archive}`, `docker://${ref}`,
  ];
}

/** Same repository, by digest: the registry already has every blob, so only the manifest is sent. */
export function tagArgs(o: SkopeoOptions, image: string, digest: string, tag: string): string[] {
  const tls = o.insecure ? ["--src-tls-verify=false", "--dest-tls-verify=false"] : [];
  return ["copy", "--authfile", o.authfile, ...tls, "--retry-times", String(o.retryTimes), "--preserve-digests", `docker://${image}@${digest}`, `docker://${image}:${tag}`];
}

/** What to tell the user when `skopeo login` failed, from what it said. */
export function loginFailure(said: string, registry: string, username: string): string {
  if (said.includes("HTTP response to HTTPS client")) {
    return `${registry} speaks plain HTTP; set the insecure-registry input to true if that is intended (credentials then travel unencrypted)`;
  }
  if (/401|nauthorized|invalid username\/password/.test(said)) {
    return `login to ${registry} as ${username} was refused: check the registry-username and registry-password secrets`;
  }
  return `login to ${registry} failed (see skopeo's message above)`;
}

/** The job summary: every tag pushed and its one digest. */
export function summary(image: string, plan: TagPlan, digest: string): string {
  const rows = [plan.first, ...plan.byDigest.map((t) => `${image}:${t}`)].map((ref) => `| \`${ref}\` | \`${digest}\` |`);
  return ["### Runner image", "", "| tag | digest |", "|---|---|", ...rows, ""].join("\n");
}
