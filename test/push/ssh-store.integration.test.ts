import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateKey } from "../../scripts/lib/nix.mjs";
import { trivialDrv } from "../helpers/nix.js";
import { buildInStep, JOB_NIX_CONFIG, nix, salt } from "../helpers/push.js";
import { type Job, laterStepEnv, newJob, runStep } from "../../scripts/lib/runner.mjs";

/**
 * There is no sshd on this machine, so the network hop is MOCKED: an `ssh` first on PATH ignores the
 * host and runs the remote command (`nix-daemon --stdio` for ssh-ng, `nix-store --serve --write` for
 * ssh) against a local chroot store, which is what the remote side would run. Everything else is real.
 *
 * It reads its arguments as OpenSSH does, because Nix versions call ssh differently: options before
 * and after the host, `--` ending them, the remote command's words joined with spaces (2.26 and 2.34
 * pass `-- nix-daemon --stdio`); `-O check` with no ControlPath configured fails as OpenSSH's does
 * (Nix then connects without a master); a LocalCommand with PermitLocalCommand=yes runs locally
 * before the remote command (Nix waits for its `echo started`).
 */
function sshStandIn(dir: string, remoteRoot: string, remoteConf: string): string {
  const bin = path.join(dir, "ssh-bin");
  mkdirSync(bin, { recursive: true });
  const ssh = path.join(bin, "ssh");
  const conf = path.join(dir, "remote-nix.conf");
  writeFileSync(conf, remoteConf);
  writeFileSync(
    ssh,
    `#!/bin/sh
host= ctl= permit=no local=
while [ $# -gt 0 ]; do
  opt=
  case $1 in
    --) shift; break ;;
    -o) opt=$2; shift 2 ;;
    -o*) opt=\${1#-o}; shift ;;
    -O) ctl=$2; shift 2 ;;
    -O*) ctl=\${1#-O}; shift ;;
    -[BbcDEeFIiJLlmPpQRSWw]) shift 2 ;;
    -?*) shift ;;
    *) [ -n "$host" ] && break; host=$1; shift ;;
  esac
  case $opt in
    [Pp]ermit[Ll]ocal[Cc]ommand=yes) permit=yes ;;
    [Ll]ocal[Cc]ommand=*) local=\${opt#*=} ;;
  esac
done
[ -n "$host" ] || { echo "usage: ssh destination [command]" >&2; exit 255; }
[ -z "$ctl" ] || { echo "No ControlPath specified for \"-O\" command" >&2; exit 255; }
[ $# -gt 0 ] || { echo "ssh stand-in: no remote command (an interactive shell is not mocked)" >&2; exit 255; }
[ "$permit" = yes ] && [ -n "$local" ] && sh -c "$local"
exec env NIX_REMOTE='local?root=${remoteRoot}' NIX_USER_CONF_FILES='${conf}' sh -c "$*"
`,
  );
  chmodSync(ssh, 0o755);
  return bin;
}

describe("push to ssh-ng:// and ssh:// stores (ssh transport mocked: no sshd here)", () => {
  const key = generateKey(`nra-ssh-${salt()}`);
  const jobs: Job[] = [];
  afterAll(() => {
    for (const j of jobs) rmSync(j.temp, { recursive: true, force: true });
  });

  for (const scheme of ["ssh-ng", "ssh"]) {
    it(`${scheme}://: paths are signed locally first (no secret-key setting there) and arrive with our signature`, async () => {
      const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
      jobs.push(job);
      const remote = path.join(job.temp, "remote");
      // the remote store trusts the cache key, as a cache host would
      const bin = sshStandIn(job.temp, remote, `trusted-public-keys = ${key.pub}\n`);
      const inputs = { "push-to": `${scheme}://cache@nra-test.invalid`, "signing-key": key.secret };
      expect((await runStep(job, "main", inputs)).code).toBe(0);
      const built = buildInStep(job, laterStepEnv(job), trivialDrv(`nra-${scheme}`, salt()));
      const post = await runStep(job, "post", inputs, { PATH: `${bin}:${process.env.PATH}` });
      expect(post.code).toBe(0);
      expect(post.log).not.toMatch(/::warning::/);
      expect(post.log).toMatch(new RegExp(`${scheme}:// stores take no secret-key setting: paths are signed in the local store`));
      expect(post.log).not.toMatch(/compression=zstd added/);
      expect(post.log).toMatch(/push: 1 path\(s\) uploaded/);
      const sigs = nix(["path-info", "--sigs", "--store", `local?root=${remote}`, built]);
      expect(sigs.code).toBe(0);
      expect(sigs.out).toContain(`${key.pub.split(":")[0]}:`);
      expect(nix(["store", "verify", "--no-contents", "--store", `local?root=${remote}`, "--trusted-public-keys", key.pub, built]).code).toBe(0);
    });
  }

  it("ssh-ng:// to a store that does not trust the key: one clear warning, no pointless retries", async () => {
    const job = newJob({ NIX_CONFIG: JOB_NIX_CONFIG });
    jobs.push(job);
    const bin = sshStandIn(job.temp, path.join(job.temp, "remote"), "");
    const inputs = { "push-to": "ssh-ng://cache@nra-test.invalid", "signing-key": key.secret };
    expect((await runStep(job, "main", inputs)).code).toBe(0);
    buildInStep(job, laterStepEnv(job), trivialDrv("nra-ssh-untrusted", salt()));
    const post = await runStep(job, "post", inputs, { PATH: `${bin}:${process.env.PATH}` });
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/::warning::push to ssh-ng:\/\/cache@nra-test\.invalid failed: .*lacks a (?:valid signature|signature by a trusted key).*add .* to its trusted-public-keys.*\[attempt 1 of 3\]/);
  });
});
