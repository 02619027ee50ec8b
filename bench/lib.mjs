// Shared bits of the benchmarks: timing, medians, the machine, and writing a section of
// BENCHMARKS.md. The runner emulation, keys, the daemon and Node 24 are the tests' own, in scripts/lib/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, ROOT } from "../scripts/lib/runner.mjs";
import { parseNixVersion } from "../src/nix/version-line.mjs";

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

/** The spread of a sample: `min–max`, formatted by `f`. */
export function spread(xs, f = (x) => String(x)) {
  return `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
}

/** The version of the first nix on PATH (what the bundles and the raw commands run), e.g. "2.8.0". */
export function nixVersion() {
  const out = spawnSync("nix", ["--version"]).stdout?.toString() ?? "";
  const v = parseNixVersion(out);
  if (!v) throw new Error(`no nix on PATH that answers as upstream Nix, Lix or Determinate Nix (nix --version said: ${out.trim()})`);
  return v.version;
}

/** The first nix on PATH as a file path (the raw commands and the bundles run that one). */
export function nixOnPath() {
  for (const d of (process.env.PATH ?? "").split(path.delimiter)) {
    const f = path.join(d, "nix");
    if (d && existsSync(f)) return f;
  }
  throw new Error("no nix on PATH");
}

/** Where a bench leaves its figures for run.mjs's side-by-side table: .bench/<name>-<nix version>.json. */
export function writeResult(name, data) {
  const dir = path.join(ROOT, ".bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}-${nixVersion()}.json`), JSON.stringify(data, null, 2));
}

export function readResult(name, version) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, ".bench", `${name}-${version}.json`), "utf8"));
  } catch {
    return undefined;
  }
}

export function machine() {
  const nix = spawnSync("nix", ["--version"]).stdout?.toString().trim();
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, ${nix}`;
}

/**
 * Replaces (or appends; with `first`, puts before the other sections) the `## <title>` section of
 * BENCHMARKS.md, leaving other sections alone.
 */
export function writeSection(title, body, { first = false } = {}) {
  const file = path.join(ROOT, "BENCHMARKS.md");
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nRun with `npm run bench`. Every figure is a ratio against the raw `nix` command doing the same work in the same run.\n";
  const heading = `## ${title}`;
  const start = text.indexOf(`\n${heading}\n`);
  const section = `\n${heading}\n\n${body.trim()}\n`;
  const firstSection = text.indexOf("\n## ");
  if (start === -1 && first && firstSection !== -1) text = text.slice(0, firstSection) + section + text.slice(firstSection);
  else if (start === -1) text = text.trimEnd() + "\n" + section;
  else {
    const next = text.indexOf("\n## ", start + heading.length + 2);
    text = text.slice(0, start) + section + (next === -1 ? "" : text.slice(next));
  }
  writeFileSync(file, text);
}

/** Removes the `## <title>` section of BENCHMARKS.md, if there is one (a title the benches no longer write). */
export function removeSection(title) {
  const file = path.join(ROOT, "BENCHMARKS.md");
  if (!existsSync(file)) return;
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(`\n## ${title}\n`);
  if (start === -1) return;
  const next = text.indexOf("\n## ", start + title.length + 4);
  writeFileSync(file, text.slice(0, start) + (next === -1 ? "\n" : text.slice(next)));
}
