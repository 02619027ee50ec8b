import { InputError } from "../errors.js";
import { boolInput, type Getter, words } from "../inputs.js";

export interface PublishInputs {
  /** What the image's flake attribute built: a docker-archive (plain or gzip) or a streamLayeredImage script. */
  archive: string;
  /** Reference without tag: [registry/]path. */
  image: string;
  extraTags: string[];
  /** "" when the input is empty: the step then takes the nixpkgs date of flake.lock. */
  dateTag: string;
  insecure: boolean;
  retryTimes: number;
  username: string;
  /** Never on a command line: skopeo reads it from stdin. */
  password: string;
}

/** A tag as the registry API accepts it (distribution's reference grammar). */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Reads and checks the image publication's inputs once, every problem at once, as an InputError
 * that names the input and the fix. `mask` hides the password in the log.
 */
export function readPublishInputs(get: Getter, mask: (secret: string) => void): PublishInputs {
  const errors: string[] = [];
  const password = get("registry-password");
  if (password) mask(password);
  const username = get("registry-username");
  if (password && !username) errors.push("registry-password is set but registry-username is empty: pass both secrets, or neither for a registry without login");

  const archive = get("archive");
  if (!archive) errors.push("archive: empty; pass the path of the image the flake built (the nix build result)");
  const image = get("image");
  const last = image.split("/").at(-1) ?? "";
  if (!image) errors.push("image: empty; give the image reference without a tag, e.g. git.example.com/ci/nix-runner");
  else if (/\s/.test(image) || last.includes(":") || last.includes("@")) {
    errors.push(`image: "${image}" must be a reference without tag or digest, e.g. git.example.com/ci/nix-runner (the tags are date-tag and extra-tags)`);
  }
  const dateTag = get("date-tag");
  if (dateTag && !TAG.test(dateTag)) errors.push(`date-tag: "${dateTag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  const extraTags = words(get("extra-tags"));
  for (const t of extraTags) if (!TAG.test(t)) errors.push(`extra-tags: "${t}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);

  let insecure = false;
  try {
    insecure = boolInput(get, "insecure-registry");
  } catch (e) {
    errors.push((e as Error).message);
  }
  const retryText = get("retry-times") || "3";
  const retryTimes = Number(retryText);
  if (!/^\d+$/.test(retryText) || retryTimes > 100) errors.push(`retry-times must be a whole number from 0 to 100 (got "${retryText}")`);

  if (errors.length > 0) throw new InputError(errors.join("\n"));
  return { archive, image, extraTags, dateTag, insecure, retryTimes, username, password };
}
