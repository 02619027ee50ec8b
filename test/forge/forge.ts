// One forge for a suite: a Gitea (test/forge/gitea.ts), the action mirrored on it as a release, the
// actions/checkout stand-in, the Nix job image published to its own container registry, Podman's
// Docker API for docker-mode jobs, and Gitea's runner registered under the templates' labels. A
// user `dev` owns the callers' repositories (another owner than the mirror's, as users have it).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { TEST_NIX_CONFIG } from "../../scripts/lib/nix.mjs";
import { ROOT, tempDir } from "../../scripts/lib/runner.mjs";
import { node24 } from "../../scripts/lib/node24.mjs";
import { type ForgeRunner, type Podman, podmanEnv, startPodman, startRunner } from "./forge-runner.js";
import { type Gitea, startGitea } from "./gitea.js";
import { git, MIRROR_OWNER, mirrorAction, mirrorCheckoutStandIn } from "./repos.js";

/** nix.conf of the host's Nix (host-mode jobs and the suite's own checks): the tests' settings and flakes. */
export const NIX_CONF = `${TEST_NIX_CONFIG}\nextra-experimental-features = flakes`;
export const CALLER_OWNER = "dev";
/** The image the template's `nix` label names, on this Gitea: <host>/nra/nix-runner:latest. */
export const JOB_IMAGE_REPO = "nix-runner";

let jobImage: string | undefined;
/** The Nix job image (scripts/containers/build-images.mjs nix), made offline when missing. */
export function localJobImage(): string {
  if (jobImage) return jobImage;
  const out = execFileSync(process.execPath, [path.join(ROOT, "scripts/containers/build-images.mjs"), "nix"], { encoding: "utf8", timeout: 1_500_000 });
  const tag = /(localhost\/nra-nix-job:\S+)/.exec(out)?.[1];
  if (!tag) throw new Error(`build-images.mjs nix named no image: ${out}`);
  jobImage = tag;
  return tag;
}

export interface Forge {
  gitea: Gitea;
  runner: ForgeRunner;
  podman: Podman;
  /** Host folder for file:// caches, mounted into docker-mode jobs. */
  caches: string;
  /** A 0600 skopeo auth file for this Gitea's registry (the admin's token). */
  authfile: string;
  form: "short" | "url";
  dropped: string[];
  stop: () => Promise<void>;
}

export interface ForgeOptions {
  /** short: DEFAULT_ACTIONS_URL=self and `uses: nra/…`; url: Gitea's default (github) and full-URL `uses:`. */
  form: "short" | "url";
  /** Docker-mode jobs: the job image published to this Gitea's registry. */
  docker: boolean;
}

export async function startForge(o: ForgeOptions): Promise<Forge> {
  const image = o.docker ? localJobImage() : undefined;
  const gitea = await startGitea({ defaultActionsUrl: o.form === "short" ? "self" : "github" });
  const stops: (() => Promise<void>)[] = [gitea.stop];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const dir = tempDir("nra-forge-");
    const caches = path.join(dir, "caches");
    mkdirSync(caches);
    const authfile = path.join(dir, "auth.json");
    const auth = Buffer.from(`${gitea.admin.name}:${gitea.admin.token}`).toString("base64");
    writeFileSync(authfile, JSON.stringify({ auths: { [gitea.host]: { auth } } }), { mode: 0o600 });
    await gitea.api("POST", "/admin/users", {
      username: CALLER_OWNER,
      email: `${CALLER_OWNER}@example.invalid`,
      password: `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`,
      must_change_password: false,
    });
    const { dropped } = await mirrorAction(gitea, o.form);
    await mirrorCheckoutStandIn(gitea);
    // The runner's daemon wants a Docker API whenever a label is a docker one, as the template's is.
    const podman = await startPodman([gitea.host]);
    stops.push(podman.stop);
    if (image) {
      execFileSync(
        "skopeo",
        ["copy", "--quiet", "--dest-tls-verify=false", "--dest-authfile", authfile, `containers-storage:${image}`, `docker://${gitea.host}/${MIRROR_OWNER}/${JOB_IMAGE_REPO}:latest`],
        // from the storage build-images.mjs made it in
        { env: { ...process.env, ...podmanEnv() }, stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 },
      );
    }
    const node = node24() as string | undefined;
    const runner = await startRunner({
      gitea,
      owner: MIRROR_OWNER,
      env: {
        PATH: `${node ? `${path.dirname(node)}:` : ""}${process.env.PATH}`,
        NIX_CONFIG: NIX_CONF,
        DOCKER_HOST: podman.dockerHost,
      },
      volumes: [caches],
    });
    // the runner first: it must not outlive the server it polls
    stops.push(runner.stop);
    return { gitea, runner, podman, caches, authfile, form: o.form, dropped, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A caller repository's work tree: files written, committed on main (not pushed). */
export function callerTree(files: Record<string, string>): string {
  const dir = tempDir("nra-forge-caller-");
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "caller fixture"]);
  return dir;
}

export function template(name: string): string {
  return readFileSync(path.join(ROOT, "workflows-templates", name), "utf8");
}
