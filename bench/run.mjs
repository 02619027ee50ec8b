// npm run bench: every benchmark on every Nix version asked for, in one run, each writing its own
// section of BENCHMARKS.md (titled by the version), then a side-by-side table of the targets.
//   node bench/run.mjs [main|push|upstream]   one benchmark only
// Env:
//   BENCH_NIX_VERSIONS  "system 2.34" (default): "system" is the nix on PATH (Debian's 2.8 here); any other is
//                       a version scripts/provision-nix.mjs provisions ("2.34" or "2.34.8"), whose BINDIR goes
//                       first on PATH for the bundles and the raw commands alike
//   BENCH_FRESH_STORE   1 (default): each version's benchmarks run under scripts/with-fresh-nix.sh, on a /nix
//                       of their own (a newer Nix must not share the machine's store while others use it, and
//                       both versions then start alike); 0 uses the machine's store (the system version only)
//   BENCH_NICE          a niceness for every measured process (e.g. -5, as root), for a machine others share
//   and each benchmark's own: BENCH_RUNS (main), BENCH_REPS, BENCH_DURING_REPS, BENCH_PUSH_SECTIONS (push).
//   The selection-growth part of the push benchmark runs on the first version only (it measures the
//   method and the store's size, not the Nix version).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NIX_VERSIONS, provisionNix } from "../scripts/provision-nix.mjs";
import { nixVersion, readResult, removeSection, ROOT, writeSection } from "./lib.mjs";

const only = process.argv[2];
const started = Date.now();
const log = (...a) => console.error("[bench]", ...a);

if (process.env.BENCH_NICE) {
  // inherited by everything started from here: the steps, nix, the pusher, the cache
  os.setPriority(Number(process.env.BENCH_NICE));
  log(`niceness ${os.getPriority()} for the measured processes`);
}

/** A version as asked → { label, bindir } (bindir undefined for the system's nix). */
function resolveVersion(asked) {
  const system = nixVersion();
  if (asked === "system" || system === asked || system.startsWith(`${asked}.`)) return { version: system, bindir: undefined };
  const version = NIX_VERSIONS.find((v) => v === asked || v.startsWith(`${asked}.`));
  if (!version) throw new Error(`BENCH_NIX_VERSIONS: ${asked} is neither "system" (${system}) nor one of scripts/provision-nix.mjs's (${NIX_VERSIONS.join(", ")})`);
  return provisionNix([version])[0];
}

const asked = (process.env.BENCH_NIX_VERSIONS ?? "system 2.34").split(/[\s,]+/).filter(Boolean);
const fresh = process.env.BENCH_FRESH_STORE !== "0";
const versions = asked.map(resolveVersion);
let failed = false;
for (const [i, v] of versions.entries()) {
  const env = { ...process.env, PATH: v.bindir ? `${v.bindir}${path.delimiter}${process.env.PATH}` : process.env.PATH };
  if (i > 0 && !env.BENCH_PUSH_SECTIONS) env.BENCH_PUSH_SECTIONS = "fresh,during";
  if (v.bindir && !fresh) throw new Error(`Nix ${v.version} would share the machine's store: run it with BENCH_FRESH_STORE=1`);
  for (const name of ["main", "push", "upstream"]) {
    if (only && only !== name) continue;
    const file = path.join(ROOT, "bench", `${name}.mjs`);
    if (!existsSync(file)) continue;
    console.log(`== bench: ${name}, Nix ${v.version}${fresh ? " (fresh /nix)" : ""}`);
    const t0 = Date.now();
    const argv = fresh ? ["bash", path.join(ROOT, "scripts/with-fresh-nix.sh"), process.execPath, file] : [process.execPath, file];
    const r = spawnSync(argv[0], argv.slice(1), { stdio: "inherit", cwd: ROOT, env });
    log(`${name} on Nix ${v.version}: ${((Date.now() - t0) / 1000).toFixed(0)} s${r.status === 0 ? "" : `, FAILED (${r.status})`}`);
    if (r.status !== 0) failed = true;
  }
}

// the sections before they were titled by version
for (const old of ["Main step", "Push", "Push during the build"]) removeSection(old);
if (!only) writeSideBySide(versions.map((v) => v.version));
log(`all done in ${((Date.now() - started) / 60000).toFixed(1)} min`);
process.exit(failed ? 1 : 0);

/** The targets per version, from what each benchmark left in .bench/. */
function writeSideBySide(list) {
  const x = (n, d = 2) => (n === undefined ? "-" : `${n.toFixed(d)}×`);
  const rows = list.map((v) => {
    const m = readResult("main", v) ?? {};
    const p = readResult("push", v) ?? {};
    const d = p.during ?? {};
    const post = d.postMs === undefined ? "-" : `${(d.postMs / 1000).toFixed(2)} s (target ≤ ${(d.postTargetMs / 1000).toFixed(2)} s)`;
    const job = d.jobRatio === undefined ? "-" : `${x(d.jobRatio)} (per rep ${x(d.pairedMedian)}, ${d.pairedSpread.map((n) => n.toFixed(2)).join("–")}×; floor ${x(d.floor, 3)})`;
    return `| ${v} | ${x(m.store)} / ${x(m.path)} | ${x(p.fresh)} | ${x(p.repush)} | ${x(d.postRatio)} | ${post} | ${job} |`;
  });
  const body = [
    "The targets, one row per Nix version, from the sections below (all measured in the same run" + (fresh ? ", each version on a /nix of its own" : "") + ").",
    "",
    "| Nix | main step / `nix --version` (store layout / on PATH; ≤ 3×) | fresh push / raw `nix copy` (≤ 1.15×) | re-push / raw no-op | post during / post-only (≤ 0.2×) | post during (≤ 1 s + last upload) | whole job during / no push (≤ 1.05×) |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `The whole job's ratio is of the medians; "per rep" is the median and spread of the ratio within each rep, whose jobs ran back to back;`,
    "the floor is what no pusher can go below: the job's last path is uploaded after its build (see Push during the build).",
  ].join("\n");
  writeSection("Nix versions side by side", body, { first: true });
  console.log(body);
}

