#!/usr/bin/env node
// Builds DeterminateSystems' nix-installer 0.23.0 (the crate from the Rust crate registry, pinned by
// its sha256) for the e2e's `installer: determinate` rows, and the Nix binary tarball they serve it
// on 127.0.0.1 (nix-tarball.mjs beside this file: Debian sid's nix-bin 2.34.8).
//
//   node scripts/determinate/build.mjs OUT_DIR     leaves OUT_DIR/nix-installer and
//                                                  OUT_DIR/nix-2.34.8-x86_64-linux.tar.xz
//
// This installer downloads no installer of its own but, at install time, the Nix tarball named by
// --nix-package-url (env NIX_INSTALLER_NIX_PACKAGE_URL); without one it unpacks the tarball its
// build embedded (build-time env NIX_INSTALLER_TARBALL_PATH, include_bytes!). Both are the same file
// here; the e2e tells them apart by its server's request log. Built with `--no-default-features
// --features cli`: the default features add `determinate-nix`, which embeds the closed
// determinate-nixd binary (build-time DETERMINATE_NIXD_BINARY_PATH; not to be had offline nor from
// the crate registry), and `diagnostics`, which reports to install.determinate.systems. Without them
// `install` installs upstream Nix (0.23.0's default; `--determinate` is refused).
// The crate comes through cargo's own configured registry (`cargo install`, the ordinary client;
// no host is named here), its checksum checked by cargo against the registry's index and again here
// against the pin below; `--locked` builds it with the Cargo.lock it ships. CARGO_TARGET_DIR
// defaults to OUT_DIR/target, kept, so a rebuild is quick. The installer is LGPL-2.1; it is a test
// tool, not shipped.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run, runMain, scratchDir, which } from "../lib/command.mjs";
import { makeNixTarball, TARBALL_NAME } from "./nix-tarball.mjs";

const CRATE = "nix-installer";
const VERSION = "0.23.0";
const SHA256 = "756fcb9d0acecc15254977889b7c03720063911b02ba58c6af75d282919d6ece";

/** The crate file cargo downloaded into its registry cache, if it did. @param {string} cargoHome */
function cachedCrate(cargoHome) {
  const cache = path.join(cargoHome, "registry/cache");
  const dirs = existsSync(cache) ? readdirSync(cache).sort() : [];
  return dirs.map((d) => path.join(cache, d, `${CRATE}-${VERSION}.crate`)).find((f) => existsSync(f));
}

/** Builds the installer and the tarball into `out` (see the top of this file). @param {string} out */
function build(out) {
  const cargoHome = process.env.CARGO_HOME || path.join(os.homedir(), ".cargo");
  const env = { ...process.env };
  if (!which("cargo")) env.PATH = `${path.join(cargoHome, "bin")}:${env.PATH ?? ""}`;
  if (!which("cargo", env.PATH)) throw new Error("cargo is not on PATH (nor in CARGO_HOME/bin): install Rust's toolchain (rustup or Debian's cargo)");
  mkdirSync(out, { recursive: true });
  const tarball = path.join(out, `${TARBALL_NAME}.tar.xz`);
  if (!(existsSync(tarball) && statSync(tarball).size > 0)) console.log(`nix-tarball: ${makeNixTarball(tarball)}`);

  const targetDir = process.env.CARGO_TARGET_DIR || path.join(out, "target");
  const root = scratchDir("nra-determinate-build.");
  const args = ["install", `${CRATE}@${VERSION}`, "--locked", "--no-default-features", "--features", "cli", "--root", root, "--target-dir", targetDir];
  run("cargo", args, { env: { ...env, CARGO_TARGET_DIR: targetDir, NIX_INSTALLER_TARBALL_PATH: tarball }, stdout: "inherit" });
  const crate = cachedCrate(cargoHome);
  const got = crate ? createHash("sha256").update(readFileSync(crate)).digest("hex") : "none";
  if (got !== SHA256) throw new Error(`${CRATE}-${VERSION}.crate (${crate ?? "missing from the cargo cache"}) has sha256 ${got}, expected ${SHA256}`);
  copyFileSync(path.join(root, "bin", CRATE), path.join(out, `${CRATE}.partial`));
  renameSync(path.join(out, `${CRATE}.partial`), path.join(out, CRATE));
  run(path.join(out, CRATE), ["--version"], { stdout: "inherit" });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [out, ...rest] = process.argv.slice(2);
  if (!out || rest.length > 0) {
    console.error("usage: build.mjs OUT_DIR");
    process.exitCode = 2;
  } else runMain("determinate/build", () => build(path.resolve(out)));
}
