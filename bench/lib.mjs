// Shared bits of the benchmarks: timing, medians, the machine, and writing a section of
// BENCHMARKS.md. The runner emulation, keys, the daemon and Node 24 are the tests' own, in scripts/lib/.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, ROOT } from "../scripts/lib/runner.mjs";

export { ensureBuilt, ROOT };

/** Runs `f` and says how long it took, with what it returned. */
export function timed(f) {
  const t0 = process.hrtime.bigint();
  const out = f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out };
}

/** How long a command that must succeed took, in ms. */
export function timeMs(cmd, args, opts = {}) {
  const { ms, out: r } = timed(() => spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts }));
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return ms;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function machine() {
  const nix = spawnSync("nix", ["--version"]).stdout?.toString().trim();
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, ${nix}`;
}

/** Replaces (or appends) the `## <title>` section of BENCHMARKS.md, leaving other sections alone. */
export function writeSection(title, body) {
  const file = path.join(ROOT, "BENCHMARKS.md");
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nRun with `npm run bench`. Every figure is a ratio against the raw `nix` command doing the same work in the same run.\n";
  const heading = `## ${title}`;
  const start = text.indexOf(`\n${heading}\n`);
  const section = `\n${heading}\n\n${body.trim()}\n`;
  if (start === -1) text = text.trimEnd() + "\n" + section;
  else {
    const next = text.indexOf("\n## ", start + heading.length + 2);
    text = text.slice(0, start) + section + (next === -1 ? "" : text.slice(next));
  }
  writeFileSync(file, text);
}
