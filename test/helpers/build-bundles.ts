import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../scripts/lib/runner.mjs";

/*
 * globalSetup of the `bundles` tier (vitest.config.ts): the bundles it runs are built from the src/
 * under test. It builds rather than failing on a stale dist/: mtimes cannot say whether dist/ is
 * stale (a checkout or `git checkout dist/` gives old bundles new times), and a failure would only
 * ask for the same `npm run build`. A build takes over a minute, so it is skipped when a stamp
 * written after the last build here says dist/ is exactly what these sources built: a hash of the
 * build's inputs and one of the bundles, either of which changing means a new build.
 */

const STAMP = path.join(ROOT, "node_modules/.cache/nix-runner-action/bundles.stamp");
const INPUTS = ["src", "package.json", "package-lock.json", "tsconfig.json"];

function files(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

function hashOf(rels: string[]): string {
  const h = createHash("sha256");
  for (const rel of rels.flatMap(files).sort()) h.update(rel).update("\0").update(readFileSync(path.join(ROOT, rel))).update("\0");
  return h.digest("hex");
}

const stamp = () => `inputs ${hashOf(INPUTS)}\ndist ${hashOf(["dist"])}\n`;

export default function setup(): void {
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp()) {
    console.log("bundles: dist/ is what this src/ built (stamp matches): not rebuilt");
    return;
  }
  console.log("bundles: building dist/ from src/ (npm run build)");
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal}): the bundles tier runs only freshly built bundles`);
  mkdirSync(path.dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, stamp());
}
