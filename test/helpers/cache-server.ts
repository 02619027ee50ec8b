import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "cache-server.mjs");

export type CacheMode = "ok" | "fail500" | "hang" | "die";

export interface CacheServer {
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** Resolves when the process has exited (by itself, as in `die` mode, or stopped). */
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

/** Starts test/helpers/cache-server.mjs on 127.0.0.1 (port 18100-18199) serving `dir`. */
export async function startCache(dir: string, mode: CacheMode = "ok", opts: { port?: number; dieAfterBytes?: number } = {}): Promise<CacheServer> {
  const args = [SCRIPT, "--dir", dir, "--mode", mode, "--max-seconds", "300"];
  if (opts.port) args.push("--port", String(opts.port));
  if (opts.dieAfterBytes) args.push("--die-after-bytes", String(opts.dieAfterBytes));
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`cache server did not start: ${err}`)), 10_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.match(/PORT (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`cache server exited: ${err}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    dir,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, "SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGKILL");
      }
    },
  };
}
