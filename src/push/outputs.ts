import { type ExecResult, run } from "../exec.js";
import { outputsOfDrvFiles } from "../nix/derivation.js";
import { chunks } from "./copy.js";
import { storePathOf } from "./select.js";

/** The lines of a store query's answer: the store paths, and whatever else it printed. */
export function storePathLines(stdout: string, storeDir: string): { paths: string[]; other: string[] } {
  const lines = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  const isPath = (l: string): boolean => storePathOf(l, storeDir) === l;
  return { paths: lines.filter(isPath), other: lines.filter((l) => !isPath(l)) };
}

export interface DerivationOutputs {
  outputs: string[];
  /** Lines of nix-store's answer that are not store paths. */
  other: string[];
  /** How many derivations nix-store was asked about (those whose .drv file did not say). */
  asked: number;
  /** nix-store's failed answer: the outputs are then only those learnt before it. */
  failed?: ExecResult;
}

/**
 * The outputs of derivations the hook queued (a hook that got no OUT_PATHS, as on Nix 2.8): what
 * their .drv files declare, read without a process on the way to the upload; nix-store --query
 * --outputs for what they do not say. `timeoutMs` is asked before each nix-store run.
 */
export async function outputsOfDerivations(drvs: string[], storeDir: string, timeoutMs: () => number): Promise<DerivationOutputs> {
  const { outputs, unread } = outputsOfDrvFiles([...new Set(drvs)]);
  const out: DerivationOutputs = { outputs, other: [], asked: unread.length };
  for (const chunk of chunks(unread)) {
    const r = await run("nix-store", ["--query", "--outputs", ...chunk], { timeoutMs: timeoutMs() });
    if (r.code !== 0) return { ...out, failed: r };
    const { paths, other } = storePathLines(r.stdout, storeDir);
    out.outputs.push(...paths);
    out.other.push(...other);
  }
  return out;
}
