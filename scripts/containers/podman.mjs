// Debian's podman with this repository's own configuration, installing podman, runc and the CNI
// plugins first when they are missing. Nothing in /etc is read or written: CONTAINERS_CONF and
// CONTAINERS_STORAGE_CONF name files in the storage folder (PODMAN_STORAGE, default .tools/podman,
// gitignored), and podman then reads no other containers.conf. Images and containers live there
// too, not in /var/lib/containers, so other users of Podman on this machine are not touched; images
// are kept across runs (they are made offline by build-images.mjs).
//
//   node scripts/containers/podman.mjs --print-env   prints CONTAINERS_CONF=… and CONTAINERS_STORAGE_CONF=…
//   bash scripts/containers/podman.sh ARGS...         runs podman with them (exec, for bash callers)
//
// What this host needs, found by trying:
//   runtime = "runc"             crun fails on this host's hybrid cgroups (v1 controllers + unified)
//   cgroup_manager = "cgroupfs"  there is no systemd to ask for scopes
//   default_ulimits = []         podman's default RLIMIT_NOFILE exceeds the hard limit here
//   events_logger = "file", log_driver = "k8s-file"   no journald
//   network_backend = "cni"      Debian's containernetworking-plugins; network configs in the storage
//   exit_command_delay = 10      not 300: an exec's conmon lingers that long after its container
// A bridge network (Gitea's runner makes one per job unless --network is given) leaves an empty
// /var/lib/cni/networks/<name> folder behind: CNI's host-local IPAM keeps its state there.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { aptInstall, missingPackages } from "../lib/apt.mjs";

const SCRIPT = fileURLToPath(import.meta.url);
/** The storage folder unless PODMAN_STORAGE names another. */
export const DEFAULT_PODMAN_STORAGE = path.resolve(path.dirname(SCRIPT), "../../.tools/podman");

/** containers.conf for a storage folder. @param {string} storage */
const containersConf = (storage) => `# Written by scripts/containers/podman.mjs; read through CONTAINERS_CONF.
[containers]
default_ulimits = []
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "${storage}/events/events.log"
tmp_dir = "${storage}/tmp"
static_dir = "${storage}/storage/libpod"
volume_path = "${storage}/volumes"
# conmon of a finished exec (each step the runners run is one) waits this long for the API client
# before cleaning up, and outlives the container and the service meanwhile: Docker's 5 minutes by
# default; the runners inspect an exec as soon as its output ends
exit_command_delay = 10

[network]
network_backend = "cni"
network_config_dir = "${storage}/cni"
`;

/** storage.conf for a storage folder. @param {string} storage */
const storageConf = (storage) => `# Written by scripts/containers/podman.mjs; read through CONTAINERS_STORAGE_CONF.
[storage]
driver = "overlay"
graphroot = "${storage}/storage"
runroot = "${storage}/run"
`;

/** Writes `text` to `file` unless it holds it already (podman sees no change it need not). @param {string} file @param {string} text */
function writeIfChanged(file, text) {
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
}

/**
 * The environment that points podman at `storage` (default PODMAN_STORAGE, else
 * DEFAULT_PODMAN_STORAGE): installs the packages when missing and writes the configuration first.
 * @param {string} [storage] @returns {{ CONTAINERS_CONF: string, CONTAINERS_STORAGE_CONF: string }}
 */
export function podmanEnv(storage = process.env.PODMAN_STORAGE || DEFAULT_PODMAN_STORAGE) {
  const missing = missingPackages(["podman", "runc", "containernetworking-plugins"]);
  if (missing.length > 0) aptInstall(missing, "podman");
  for (const d of ["storage", "run", "tmp", "volumes", "cni", "events"]) fs.mkdirSync(path.join(storage, d), { recursive: true });
  const env = { CONTAINERS_CONF: path.join(storage, "containers.conf"), CONTAINERS_STORAGE_CONF: path.join(storage, "storage.conf") };
  writeIfChanged(env.CONTAINERS_CONF, containersConf(storage));
  writeIfChanged(env.CONTAINERS_STORAGE_CONF, storageConf(storage));
  return env;
}

if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT) {
  if (process.argv.slice(2).join(" ") !== "--print-env") {
    console.error("usage: podman.mjs --print-env   (podman.sh ARGS... runs podman)");
    process.exit(2);
  }
  try {
    for (const [k, v] of Object.entries(podmanEnv())) console.log(`${k}=${v}`);
  } catch (e) {
    console.error(`podman: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
