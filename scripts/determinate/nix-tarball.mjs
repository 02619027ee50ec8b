#!/usr/bin/env node
// Makes a Nix binary tarball in the layout of releases.nixos.org's nix-VERSION-SYSTEM.tar.xz, the
// one DeterminateSystems' nix-installer 0.23.0 unpacks (embedded at build time, or fetched from
// --nix-package-url / NIX_INSTALLER_NIX_PACKAGE_URL at install time), from Debian sid's nix-bin
// 2.34.8 as scripts/provision-nix.mjs unpacks it. What the installer reads of it
// (src/action/base/{fetch_and_unpack_nix,move_unpacked_nix,setup_default_profile}.rs and
// src/action/common/configure_nix.rs of the crate):
//   - an xz-compressed tar with exactly one top folder nix-*;
//   - nix-*/store/ holding the store paths, among them exactly one *-nix-X.Y.Z (whose bin/ has
//     nix-store and nix-env, run to load the database and fill the default profile) and exactly one
//     *-nss-cacert-*.* (whose etc/ssl/certs/ca-bundle.crt becomes NIX_SSL_CERT_FILE);
//   - nix-*/.reginfo, the database of those paths (nix-store --dump-db), fed to nix-store --load-db.
// The Nix is made one self-contained store path: the patched binary, the libraries it loads copied
// beside it (patchelf points it at them), the multi-call links, and the profile scripts the
// installer's shell hooks source (etc/profile.d/nix-daemon.sh). The CA bundle is this machine's
// (Debian's ca-certificates), named after its package version.
//
//   node scripts/determinate/nix-tarball.mjs OUT.tar.xz
//
// Needs on PATH: nix-build, nix-store (any Nix; NIX_CONFIG may need `build-users-group =`),
// patchelf, xz; Nix 2.34.8 from scripts/provision-nix.mjs (run here if missing, about 40 s).
import { copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { provisionNix } from "../provision-nix.mjs";
import { run, runLines, runMain, scratchDir, which } from "../lib/command.mjs";
import { HOST_NIX_CONFIG } from "../lib/nix.mjs";

const SELF = fileURLToPath(import.meta.url);
export const NIX_VERSION = "2.34.8";
const SYSTEM = "x86_64-linux";
/** The top folder of the tarball, and its name without .tar.xz. */
export const TARBALL_NAME = `nix-${NIX_VERSION}-${SYSTEM}`;

/** The shared libraries in `ldd`'s output but the loader, sorted. @param {string} ldd */
export const libraries = (ldd) => [...new Set((ldd.match(/\/[^ ]+\.so[^ ]*/g) ?? []).filter((l) => !l.includes("ld-linux")))].sort();

/**
 * The derivation of the self-contained Nix store path (its builder: /bin/sh running the lines below).
 * @param {{ libsFile: string, root: string, nixBin: string, commands: string[] }} o the file listing
 *   the libraries, the provisioned root, the Nix binary, the names to link to it
 */
export const nixDerivation = (o) => `derivation {
  name = "nix-${NIX_VERSION}"; system = "${SYSTEM}"; builder = "/bin/sh";
  args = [ "-c" ''
    set -e; PATH=/usr/bin:/bin
    mkdir -p $out/bin $out/lib $out/etc/profile.d
    while read -r l; do cp -L "$l" $out/lib/; done < ${o.libsFile}
    cp -L ${o.root}/usr/lib64/ld-linux-x86-64.so.2 $out/lib/
    cp -L ${o.nixBin} $out/bin/nix; chmod u+w $out/bin/nix
    patchelf --set-interpreter $out/lib/ld-linux-x86-64.so.2 --force-rpath --set-rpath $out/lib $out/bin/nix
    for n in ${o.commands.join(" ")}; do ln -s nix $out/bin/$n; done
    cp ${o.root}/usr/share/doc/nix-bin/examples/nix-daemon.sh ${o.root}/usr/share/doc/nix-bin/examples/nix.sh $out/etc/profile.d/
  '' ];
}
`;

/** The Nix 2.34.8 folder scripts/provision-nix.mjs made (provisioned now if missing). */
function provisionedNix() {
  const [{ bindir }] = provisionNix([NIX_VERSION]);
  if (!existsSync(path.join(bindir, "nix"))) throw new Error(`provision-nix.mjs gave no Nix ${NIX_VERSION} (${bindir})`);
  return bindir;
}

/** Makes the tarball `out` (see the top of this file) and returns a line saying what it holds. @param {string} out */
export function makeNixTarball(out) {
  for (const t of ["nix-build", "nix-store", "patchelf", "xz", "ldd"]) {
    if (!which(t)) throw new Error(`${t} is not on PATH`);
  }
  const env = { ...process.env, NIX_CONFIG: `${process.env.NIX_CONFIG ?? ""}\n${HOST_NIX_CONFIG}` };
  const bindir = provisionedNix();
  const root = path.join(path.dirname(bindir), "root");
  const nixBin = realpathSync(path.join(bindir, "nix"));
  if (!existsSync(path.join(root, "usr/share/doc/nix-bin/examples/nix-daemon.sh"))) throw new Error(`no nix-daemon.sh in ${root}`);

  const w = scratchDir("nra-nix-tarball.");
  // the libraries the binary loads (its own loader comes from the provisioned root, so it is sid's,
  // not this machine's)
  const libs = libraries(run("ldd", [nixBin]));
  if (libs.length === 0) throw new Error(`ldd found no libraries for ${nixBin}`);
  const libsFile = path.join(w, "libs");
  writeFileSync(libsFile, `${libs.join("\n")}\n`);
  const commands = readdirSync(bindir).filter((n) => n !== "nix" && !n.startsWith(".")).sort();
  writeFileSync(path.join(w, "nix.nix"), nixDerivation({ libsFile, root, nixBin, commands }));
  const nixp = run("nix-build", [path.join(w, "nix.nix"), "--no-out-link"], { env }).trim();
  const got = run(path.join(nixp, "bin/nix"), ["--version"]).trim();
  if (got !== `nix (Nix) ${NIX_VERSION}`) throw new Error(`the store path's nix says '${got}', not ${NIX_VERSION}`);
  // nothing outside the path may be loaded: its closure is itself
  const loaded = run(path.join(nixp, "lib/ld-linux-x86-64.so.2"), ["--list", path.join(nixp, "bin/nix")]);
  const outside = loaded.split("\n").filter((l) => l.includes("=>") && !l.includes(`=> ${nixp}/`));
  if (outside.length > 0) throw new Error(`${nixp}/bin/nix loads libraries from outside: ${outside.join(" ").trim()}`);

  const caVersion = run("dpkg-query", ["-W", "-f", "${Version}", "ca-certificates"]).replace(/[^A-Za-z0-9\n]/g, ".");
  const cacertDir = path.join(w, `nss-cacert-debian.${caVersion || "unknown"}`);
  mkdirSync(path.join(cacertDir, "etc/ssl/certs"), { recursive: true });
  copyFileSync("/etc/ssl/certs/ca-certificates.crt", path.join(cacertDir, "etc/ssl/certs/ca-bundle.crt"));
  const cacert = run("nix-store", ["--add", cacertDir], { env }).trim();

  const closure = runLines("nix-store", ["-qR", nixp, cacert], { env });
  const reginfo = path.join(w, ".reginfo");
  writeFileSync(reginfo, run("nix-store", ["--dump-db", ...closure], { env }));
  mkdirSync(path.dirname(out), { recursive: true });
  // the store paths under TOP/store/, the database as TOP/.reginfo, with the modes and owner the
  // release tarballs have
  run("tar", [
    ...["-c", "-f", `${out}.partial`, "-I", "xz -T2 -3"],
    ...["--owner=0", "--group=0", "--mode=u+rw,uga+r", "--mtime=1970-01-01", "--absolute-names", "--hard-dereference"],
    ...["--transform", `s,^${w}/.reginfo,${TARBALL_NAME}/.reginfo,`, "--transform", `s,^/nix/store,${TARBALL_NAME}/store,S`],
    ...[reginfo, ...closure],
  ]);
  renameSync(`${out}.partial`, out);
  const size = run("du", ["-h", out]).split("\t")[0];
  const paths = new Set(runLines("tar", ["tJf", out]).map((m) => m.split("/")).filter((p) => p[1] === "store" && p[2]).map((p) => p[2]));
  return `${out} (${size}): ${[...paths].sort().join(" ")}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const [out, ...rest] = process.argv.slice(2);
  if (!out || rest.length > 0) {
    console.error("usage: nix-tarball.mjs OUT.tar.xz");
    process.exitCode = 2;
  } else runMain("nix-tarball", () => console.log(`nix-tarball: ${makeNixTarball(path.resolve(out))}`));
}
