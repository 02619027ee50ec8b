/** .tools/podman: the storage folder unless PODMAN_STORAGE names another. */
export const DEFAULT_PODMAN_STORAGE: string;
/**
 * CONTAINERS_CONF and CONTAINERS_STORAGE_CONF for podman on `storage` (default PODMAN_STORAGE, else
 * .tools/podman); installs podman, runc and the CNI plugins when missing and writes the files first.
 */
export function podmanEnv(storage?: string): { CONTAINERS_CONF: string; CONTAINERS_STORAGE_CONF: string };
