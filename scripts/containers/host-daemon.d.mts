/** Starts a nix-daemon of this machine's Nix on DIR/socket/socket, its nix.conf HOST_NIX_CONFIG and `conf`, in a session of its own; `env` added to its environment. */
export function startHostDaemon(dir: string, conf?: string, o?: { env?: NodeJS.ProcessEnv }): Promise<{ socket: string; pid: number }>;
/** Stops the daemon startHostDaemon started in DIR, by its PID; none there is no error. */
export function stopHostDaemon(dir: string): Promise<void>;
