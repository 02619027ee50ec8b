/**
 * Starts `podman system service` on STATE/podman.sock in a session of its own, on podman.mjs's
 * configuration for `storage` (default: its own), `env` added to its environment.
 */
export function startPodmanService(state: string, o?: { storage?: string; env?: NodeJS.ProcessEnv }): Promise<{ dockerHost: string; pid: number }>;
/** Stops the service of `state` by its PID (TERM, KILL after 10 s); resolves to that PID, or undefined when none was there. */
export function stopPodmanService(state: string): Promise<number | undefined>;
