// The runners' command lines, built once for the workflow tests (test/workflows/harness.ts) and the
// e2e (scripts/e2e.sh): act, Gitea's runner (`runner exec`) and the FORGEJO STAND-IN, with what
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
//
// Also a program, for bash: prints the argv, one NUL-terminated word each:
//   node scripts/lib/runners.mjs argv --runner R --bin B --workflow W --event E
//     [--label RUNS_ON=TEMPLATE_LABEL]... [--stand-in REGISTRY_IMAGE=LOCAL_IMAGE]...
//     [--platform RUNS_ON=IMAGE|-self-hosted]... [--container-options OPTS]
//     [--env K=V]... [--var K=V]... [--secret-file F] [--secret NAME]...
//     [--artifact-port P] [--artifact-path DIR]
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

/** `K=V` → [K, V], split at the first `=`. @param {string} flag @param {string} kv */
function split(flag, kv) {
  const at = kv.indexOf("=");
  if (at < 1) throw new Error(`${flag} wants NAME=VALUE, got "${kv}"`);
  return [kv.slice(0, at), kv.slice(at + 1)];
}

/** The program's flags as RunnerArgs, labels resolved through the runner's template. @param {string[]} argv */
export function parseArgs(argv) {
  /** @type {Record<string, string | undefined>} */
  const one = {};
  /** @type {Record<string, Record<string, string>>} */
  const maps = { "--label": {}, "--stand-in": {}, "--platform": {}, "--env": {}, "--var": {} };
  /** @type {string[]} */
  const secrets = [];
  const single = ["--runner", "--bin", "--workflow", "--event", "--container-options", "--secret-file", "--artifact-port", "--artifact-path"];
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} wants a value`);
    if (flag in maps) {
      const [k, v] = split(flag, value);
      maps[flag][k] = v;
    } else if (flag === "--secret") secrets.push(value);
    else if (single.includes(flag)) one[flag] = value;
    else throw new Error(`unknown flag ${flag}`);
  }
  const runner = /** @type {Runner} */ (one["--runner"]);
  if (!(runner in RUNNER_TEMPLATE)) throw new Error(`--runner must be one of ${Object.keys(RUNNER_TEMPLATE).join(", ")} (got "${runner}")`);
  for (const f of ["--bin", "--workflow", "--event"]) if (!one[f]) throw new Error(`${f} is required`);
  const platforms = { ...maps["--platform"] };
  if (Object.keys(maps["--label"]).length) {
    const labels = templateLabels(RUNNER_TEMPLATE[runner], maps["--stand-in"]);
    for (const [runsOn, label] of Object.entries(maps["--label"])) {
      const image = labels[label];
      if (!image) throw new Error(`${path.relative(ROOT, RUNNER_TEMPLATE[runner])} has no label ${label} (it has ${Object.keys(labels).join(", ")})`);
      platforms[runsOn] = image;
    }
  }
  const port = one["--artifact-port"];
  const artifactPath = one["--artifact-path"];
  return {
    runner,
    bin: /** @type {string} */ (one["--bin"]),
    workflow: /** @type {string} */ (one["--workflow"]),
    event: /** @type {string} */ (one["--event"]),
    platforms,
    containerOptions: one["--container-options"],
    env: maps["--env"],
    vars: maps["--var"],
    secretFile: one["--secret-file"],
    secrets,
    artifacts: port || artifactPath ? { port: port ? Number(port) : undefined, path: artifactPath } : undefined,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [what, ...rest] = process.argv.slice(2);
  try {
    if (what !== "argv") throw new Error("usage: runners.mjs argv --runner R --bin B --workflow W --event E … (see the top of this file)");
    process.stdout.write(runnerArgv(parseArgs(rest)).map((w) => `${w}\0`).join(""));
  } catch (e) {
    console.error(`runners.mjs: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  }
}
