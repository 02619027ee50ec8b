/** Each runner: the Go module `go install` builds, and the binary it makes. */
export const RUNNER_MODULES: Readonly<Record<"act" | "gitea", { spec: string; binary: string }>>;

export type RunnerInstall = { name: string; bin: string } | { name: string; why: string };

/** "NAME PATH", or "NAME unavailable: WHY": the line the program prints for a runner. */
export function runnerLine(r: RunnerInstall): string;

/**
 * Builds act and Gitea's runner from the Go module proxy into `tools`/NAME/bin (default: .tools),
 * reusing binaries already there; `onEach` hears of each as soon as it is done. Throws only when a
 * runner is missing and Go is too.
 */
export function installRunners(o?: { tools?: string; onEach?: (r: RunnerInstall) => void }): RunnerInstall[];
