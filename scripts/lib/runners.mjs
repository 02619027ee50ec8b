// The runners' command lines, built once for the workflow tests (test/workflows/harness.ts) and the
// e2e (test/e2e/): act, Gitea's runner (`runner exec`) and the FORGEJO STAND-IN, with what
// each needs to run a workflow offline and non-interactively.
//
// Forgejo's runner is in no package registry this project may install from (the Go module proxy
// refuses every code.forgejo.org module), so "forgejo" here is Gitea's runner with the variables a
// registered Forgejo runner gives every job (FORGEJO_ACTIONS=true, and GITEA_ACTIONS=true, which it
// sets too) and the labels of Forgejo's runner config template. It proves the action's platform
// detection and the Forgejo template's labels, not Forgejo's runner itself (docs/testing.md, Limits of what is tested).
//
// Which image a job runs in comes from the label its `runs-on` names, as on a registered runner. The
// labels are the ones the runner configs in workflows-templates/runners/ ship (act, which has no
// config of its own, reads Gitea's: act_runner is act under Gitea): `NAME:host` runs the job on this
// machine (`-self-hosted`), `NAME:docker://IMAGE` in a container of IMAGE. The templates name a
// registry image (registry.example.com/ci/nix-runner:latest) that does not exist here: the caller
// gives the locally built image that stands in for it (`standIns`), and an image without one is an
// error, so a template whose label or image is wrong fails the run that uses it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** @typedef {"act" | "gitea" | "forgejo"} Runner "forgejo": the stand-in (Gitea's runner, above) */

/** The runner config template each runner's labels come from. @type {Record<Runner, string>} */
export const RUNNER_TEMPLATE = {
  act: path.join(ROOT, "workflows-templates/runners/gitea-act-runner.yaml"),
  gitea: path.join(ROOT, "workflows-templates/runners/gitea-act-runner.yaml"),
  forgejo: path.join(ROOT, "workflows-templates/runners/forgejo-runner.yaml"),
};

/** What a job of a label runs in for the runners' command lines: on this machine, or an image. */
export const HOST = "-self-hosted";

/**
 * The labels of a runner config (its `runner.labels`), each as what its jobs run in: HOST for
 * `NAME:host`, the local stand-in of IMAGE for `NAME:docker://IMAGE`.
 * @param {string} file @param {Record<string, string>} standIns registry image → local image
 * @returns {Record<string, string>}
 */
export function templateLabels(file, standIns) {
  const name = path.relative(ROOT, file);
  const labels = parse(readFileSync(file, "utf8"))?.runner?.labels;
  if (!Array.isArray(labels) || labels.length === 0) throw new Error(`${name}: no runner.labels`);
  /** @type {Record<string, string>} */
  const out = {};
  for (const label of labels) {
    const m = /^([^:]+):(host|docker:\/\/(.+))$/.exec(String(label));
    if (!m) throw new Error(`${name}: label "${label}" is neither NAME:host nor NAME:docker://IMAGE`);
    if (m[2] === "host") out[m[1]] = HOST;
    else if (standIns[m[3]]) out[m[1]] = standIns[m[3]];
    else throw new Error(`${name}: label ${m[1]}'s image ${m[3]} has no local stand-in (have: ${Object.keys(standIns).join(", ") || "none"})`);
  }
  return out;
}

/**
 * @typedef {object} RunnerArgs
 * @property {Runner} runner
 * @property {string} bin
 * @property {string} workflow
 * @property {string} event
 * @property {Record<string, string>} platforms runs-on label → image or HOST. exec mode runs every
 *   job in one image (`--image`): its labels must all map to the same one.
 * @property {string} [containerOptions] docker options for the job containers (with the network
 *   the runner's own, `host`, and no docker socket in the job)
 * @property {Record<string, string>} [env]
 * @property {Record<string, string>} [vars]
 * @property {string} [secretFile] act: a KEY=VALUE file
 * @property {string[]} [secrets] the exec modes: names read from the runner's environment (`-s NAME`)
 * @property {{ port?: number, path?: string }} [artifacts] the artifact server, on 127.0.0.1
 * @property {string[]} [extra] more flags, as they are
 */

/**
 * Variables by which the action tells the forge: a registered runner sets them in every job, `exec`
 * does not. A registered Forgejo runner sets both of its (the action's precedence picks forgejo).
 * @type {Record<Runner, Record<string, string>>}
 */
export const PLATFORM_ENV = { act: {}, gitea: { GITEA_ACTIONS: "true" }, forgejo: { FORGEJO_ACTIONS: "true", GITEA_ACTIONS: "true" } };

/** The runner's argv. @param {RunnerArgs} o @returns {string[]} */
export function runnerArgv(o) {
  const pairs = (/** @type {string} */ flag, /** @type {Record<string, string> | undefined} */ kv) =>
    Object.entries(kv ?? {}).flatMap(([k, v]) => [flag, `${k}=${v}`]);
  const inContainers = Object.values(o.platforms).some((image) => image !== HOST);
  const artifacts = o.artifacts
    ? ["--artifact-server-addr", "127.0.0.1",
      ...(o.artifacts.port ? ["--artifact-server-port", String(o.artifacts.port)] : []),
      ...(o.artifacts.path ? ["--artifact-server-path", o.artifacts.path] : [])]
    : [];
  const env = { ...o.env, ...PLATFORM_ENV[o.runner] };
  const common = ["-W", o.workflow, "--env-file", "/dev/null", ...pairs("--env", env), ...pairs("--var", o.vars)];
  if (o.runner === "act") {
    // --rm: act keeps a failed job's container (for inspection) unless told
    const containers = inContainers ? ["--pull=false", "--rm", "--network", "host", "--container-daemon-socket", "-",
      ...(o.containerOptions ? ["--container-options", o.containerOptions] : [])] : [];
    return [o.bin, o.event, ...common, "--var-file", "/dev/null", ...pairs("-P", o.platforms), ...containers,
      "--no-cache-server", "--action-offline-mode", ...artifacts,
      ...(o.secretFile ? ["--secret-file", o.secretFile] : []), ...(o.extra ?? [])];
  }
  const images = [...new Set(Object.values(o.platforms))];
  if (images.length !== 1) throw new Error(`${o.runner} exec runs every job in one image, not ${images.join(", ") || "none"}`);
  const containers = inContainers ? ["--network", "host", "--container-daemon-socket", "-",
    ...(o.containerOptions ? ["--container-opts", o.containerOptions] : [])] : [];
  return [o.bin, "exec", ...common, "--event", o.event, `--image=${images[0]}`, ...containers, ...artifacts,
    ...(o.secrets ?? []).flatMap((name) => ["-s", name]), ...(o.extra ?? [])];
}

/**
 * The image (or HOST) a job whose runs-on is `label` runs in under the runner's config template;
 * a label the template does not ship is an error naming the template.
 * @param {Runner} runner @param {string} label @param {Record<string, string>} standIns registry image → local image
 */
export function labelImage(runner, label, standIns) {
  const labels = templateLabels(RUNNER_TEMPLATE[runner], standIns);
  const image = labels[label];
  if (!image) throw new Error(`${path.relative(ROOT, RUNNER_TEMPLATE[runner])} has no label ${label} (it has ${Object.keys(labels).join(", ")})`);
  return image;
}
