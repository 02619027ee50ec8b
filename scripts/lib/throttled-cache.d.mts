export interface ThrottledCache {
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** Every file stored, in order: when (ms since the server started, and Date.now() as the caller saw it), size, path in the cache. */
  puts: { ms: number; at: number; bytes: number; path: string }[];
  exited: Promise<number | null>;
  /** Starts (true) or stops (false) answering 500 to every PUT. */
  failPuts: (on: boolean) => void;
  stop: () => Promise<void>;
}

export function startThrottledCache(opts: { dir: string; bytesPerSecond: number; fail500Seconds?: number; maxSeconds?: number }): Promise<ThrottledCache>;
