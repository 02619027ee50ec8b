import type http from "node:http";

/** A port of `range` (default 18300–18399) on 127.0.0.1 that nothing listens on right now, for a server that is not ours. */
export function freePort(range?: [number, number]): Promise<number>;

export interface Started {
  server: http.Server;
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Closes the server and every connection it holds. */
  stop: () => Promise<void>;
}

/** Listens on 127.0.0.1 with `handler`: on `port`, or on the first free port of `ports` (default 18300–18399). */
export function startServer(handler: http.RequestListener, o?: { port?: number; ports?: [number, number]; maxSeconds?: number }): Promise<Started>;

/** The whole body of a request. */
export function readBody(req: http.IncomingMessage): Promise<Buffer>;

/** GET (and HEAD) of each path of `files` answers its body; anything else is a 404. */
export function filesHandler(
  files: Record<string, string | Buffer>,
  o?: { onRequest?: (path: string) => void; onAnswer?: (line: string) => void },
): http.RequestListener;

export interface Served {
  origin: string;
  port: number;
  /** Paths requested so far, in order. */
  requests: string[];
  stop: () => Promise<void>;
}

/** Serves `files` (URL path → body) in this process on 127.0.0.1, on a free port in 18300–18399 unless `ports` says otherwise. */
export function serve(files: Record<string, string | Buffer>, o?: { ports?: [number, number] }): Promise<Served>;

export type CacheMode = "ok" | "fail500" | "hang" | "die";

/** A binary cache in `dir` with the faults of `mode`; `die` ends the whole process (use startCache). */
export function cacheHandler(dir: string, o?: { mode?: CacheMode; dieAfterBytes?: number }): http.RequestListener;

export interface CacheServer {
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** Resolves when the process has exited (by itself, as in `die` mode, or stopped). */
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

/** A binary cache in `dir` served on 127.0.0.1 (port 18100–18199) by a process of its own. */
export function startCache(dir: string, mode?: CacheMode, opts?: { port?: number; dieAfterBytes?: number }): Promise<CacheServer>;
