export type Runner = "act" | "gitea" | "forgejo";

/** The runner config template (workflows-templates/runners/) each runner's labels come from. */
export const RUNNER_TEMPLATE: Record<Runner, string>;
/** A label whose jobs run on this machine, as the runners' command lines spell it. */
export const HOST: string;

/** A runner config's labels: HOST for NAME:host, the local stand-in of IMAGE for NAME:docker://IMAGE (none: an error). */
export function templateLabels(file: string, standIns: Record<string, string>): Record<string, string>;

export interface RunnerArgs {
  runner: Runner;
  bin: string;
  workflow: string;
  event: string;
  /** runs-on label → image or HOST; exec mode wants one image for all. */
  platforms: Record<string, string>;
  containerOptions?: string;
  env?: Record<string, string>;
  vars?: Record<string, string>;
  /** act: a KEY=VALUE file. */
  secretFile?: string;
  /** exec modes: secret names read from the runner's environment. */
  secrets?: string[];
  /** The artifact server on 127.0.0.1 (act, Gitea's runner). */
  artifacts?: { port?: number; path?: string };
  extra?: string[];
}

/** The runner's argv. */
export function runnerArgv(o: RunnerArgs): string[];
/** The image (or HOST) a job of `label` runs in under the runner's config template; a label it does not ship throws, naming the template. */
export function labelImage(runner: Runner, label: string, standIns: Record<string, string>): string;
