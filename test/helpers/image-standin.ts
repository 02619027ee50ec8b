import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { TOOLS } from "../../src/publish/image-check.js";

function exe(bin: string, name: string, script: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(bin, name), 0o755);
}

/**
 * A bin folder `dir/name` standing in for a job image's tools: every tool the image checks look for
 * but those in `without`; `nix` answers show-config with `features`, eval with 2 and --version with 2.24.0.
 */
export function standInImage(dir: string, name: string, features: string, without: string[] = []): string {
  const bin = path.join(dir, name);
  for (const t of TOOLS.filter((t) => !without.includes(t))) exe(bin, t, "exit 0");
  if (!without.includes("nix")) {
    exe(bin, "nix", `case "$*" in *show-config*) echo 'experimental-features = ${features}';; *eval*) echo 2;; *--version*) echo 'nix (Nix) 2.24.0';; esac`);
  }
  return bin;
}
