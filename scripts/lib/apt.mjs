// Debian packages a script needs and installs itself when missing (patchelf for provision-nix.mjs;
// podman, runc and the CNI plugins for scripts/containers/podman.mjs): apt-get as root, waiting
// (bounded) while another apt or dpkg holds apt's locks.
import { spawnSync } from "node:child_process";

const LOCKS = ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock"];
const sleep = (/** @type {number} */ ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The packages of `names` dpkg does not have installed. @param {string[]} names */
export function missingPackages(names) {
  return names.filter((p) => {
    const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", p], { encoding: "utf8" });
    return !(r.stdout ?? "").includes("install ok installed");
  });
}

/** True while some process has one of apt's or dpkg's locks open. */
function aptBusy() {
  const fuser = spawnSync("fuser", LOCKS, { stdio: "ignore" });
  if (!fuser.error) return fuser.status === 0;
  return spawnSync("pgrep", ["-x", "apt-get|apt|dpkg|unattended-upgr"], { stdio: "ignore" }).status === 0;
}

/** apt-get ARGS, its output on stderr; retried (for up to 5 minutes) while apt is busy. @param {string[]} args @param {string} who */
function aptGet(args, who) {
  for (let i = 1; i <= 30; i++) {
    const r = spawnSync("apt-get", ["-o", "DPkg::Lock::Timeout=10", ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", "ignore", 2],
      timeout: 10 * 60_000,
    });
    if (r.status === 0) return true;
    if (!aptBusy()) return false;
    console.error(`${who}: apt is busy (another apt-get or dpkg runs), waiting (${i}/30)`);
    sleep(10_000);
  }
  return false;
}

/**
 * Installs `names` with apt-get (no recommends); `who` prefixes what it says. apt's lists are
 * updated first when they lack a package, or when the install fails without them updated.
 * @param {string[]} names @param {string} who
 */
export function aptInstall(names, who) {
  const list = names.join(" ");
  if (process.getuid?.() !== 0) throw new Error(`${list} missing: install ${names.length > 1 ? "them" : "it"} (apt-get install ${list}) or run this as root`);
  console.error(`${who}: installing ${list} (Debian)`);
  const install = () => aptGet(["install", "-y", "-qq", "--no-install-recommends", ...names], who);
  let updated = false;
  const update = () => {
    updated = true;
    if (!aptGet(["update", "-qq"], who)) throw new Error("apt-get update failed");
  };
  if (spawnSync("apt-cache", ["show", ...names], { stdio: "ignore" }).status !== 0) update();
  if (install()) return;
  if (updated) throw new Error(`apt-get install ${list} failed`);
  update();
  if (!install()) throw new Error(`apt-get install ${list} failed`);
}
