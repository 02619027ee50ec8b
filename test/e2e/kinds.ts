// The rows' `kind` column: the workflow a row runs (and how), and the checks its run must pass, each
// a test of its own under the row's name. The checks are known before the row runs (they name what
// is checked); what they compare against is read from the run.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { builtAndPushed, check, type Check, containerAfter, containerOutputs, hasLine, keyMasked, type KindSpec, lines, nixVersionOf, nothingLeft, ranUnder, runnerFailed, runnerPassed, said, value } from "./checks.js";
import { context, STAND_IN } from "./context.js";
import { DETERMINATE } from "./environments.js";
import { GITLAB_KINDS } from "./gitlab.js";
import { runRunner } from "./run.js";
import { type Kind, type Row, rowId } from "./rows.js";

// -- the kinds ----------------------------------------------------------------------------------
const E2E = ".gitea/workflows/e2e.yml";
const INSTALL = ".gitea/workflows/e2e-install.yml";
const STAND_IN_URL = "/mirror/stand-in-nix-installer";
const ZERO_PIN = "0".repeat(64);

/** The stand-in installer's one recorded call: what the action must run as root where PID 1 is not systemd. */
function standInCall(prefix: string, container: boolean): { got: string[][]; want: string[] } {
  const calls = path.join(prefix, "calls");
  const files = existsSync(calls) ? readdirSync(calls).filter((f) => f.endsWith(".argv")) : [];
  const got = files.map((f) => readFileSync(path.join(calls, f), "utf8").split("\0").slice(0, -1));
  const conf = ["trusted-users = root", ...(container ? ["sandbox = false"] : []), `extra-trusted-public-keys = ${context().key.pub}`].join("\n");
  return { got, want: ["install", "linux", "--no-confirm", "--init", "none", "--extra-conf", conf] };
}

/** The row's folder standing for /nix, made empty (mode 755) before its run. */
function nixPrefix(row: Row, make = false): string {
  const prefix = path.join(context().work, rowId(row), "nix-prefix");
  if (make) {
    mkdirSync(prefix, { recursive: true });
    chmodSync(prefix, 0o755);
  }
  return prefix;
}

export const KINDS: Record<Kind, KindSpec> = {
  // e2e.yml (a direct job and a job calling the local reusable workflow with `with:` and
  // `secrets:`): the job passes, a later step read the outputs, which Node ran main and post, the
  // post step's signed narinfos in a file:// cache
  good: {
    title: (row) => `e2e.yml (expect success, platform=${row.runner}, node ${row.node}, nix ${row.nix})`,
    run: (row, s) => runRunner(row, s, { workflow: E2E, platform: row.runner }),
    checks: (row) => [
      runnerPassed,
      ...["direct", "reusable"].flatMap((job) => [
        check(`${job}: later step read the outputs, platform=${row.runner}`, (r) => hasLine(r, `results/${job}.outputs`, `platform=${row.runner}`)),
        check(`${job}: later step read nix-version of Nix ${row.nix}`, (r) => nixVersionOf(value(r, `results/${job}.outputs`, "nix-version"), row.nix)),
        ...containerOutputs(row, `results/${job}.outputs`, job),
        ...builtAndPushed(job),
      ]),
      ...said(row),
      keyMasked,
      ...ranUnder(row, 2, " (both jobs)"),
    ],
  },

  // e2e-bad-input.yml (mode: imgae): the job fails with a message naming the input
  bad: {
    title: () => "e2e-bad-input.yml (expect failure naming the input)",
    run: (row, s) => runRunner(row, s, { workflow: ".gitea/workflows/e2e-bad-input.yml", platform: row.runner }),
    checks: () => [
      runnerFailed,
      // from the witness's copy of its ::error:: lines: act and Forgejo's runner may drop a failing
      // step's last line from their log (see node-witness.cjs)
      check('main step failed naming the input: ::error::mode must be one of … (got "imgae")', (r) =>
        expect(r.read("node-witness.errors")).toContain(' ::error::mode must be one of auto, image, native, install (got "imgae")')),
      check("the step after the action did not run", (r) => expect(r.log).not.toContain("E2E-REACHED-42")),
      check("post step ran after the failed main and did not crash", (r) => {
        expect(lines(r.read("node-witness")).some((l) => l.endsWith("/dist/post/index.js"))).toBe(true);
        expect(r.log).not.toContain("unhandled rejection");
      }),
    ],
  },

  // Control: the in-workflow assertion on outputs can fail. Told to expect another platform, the
  // job must fail at the step that reads the outputs.
  control: {
    title: (row) => `e2e.yml told to expect platform=${wrongPlatform(row)} (expect failure)`,
    run: (row, s) => runRunner(row, s, { workflow: E2E, platform: wrongPlatform(row) }),
    checks: (row) => [
      check("a wrong expected platform fails the job", runnerFailed.test),
      // its verdict from the file the step wrote: act may drop a failing step's last lines from its log
      ...["direct", "reusable"].map((job) =>
        check(`${job}: the later step named the mismatch`, (r) =>
          hasLine(r, `results/${job}.failed`, `output platform is "${row.runner}", expected "${wrongPlatform(row)}"`))),
    ],
  },

  // e2e-install.yml (mode: install, installer: nixos) with the STAND-IN installer
  // (scripts/lib/stand-in-installer.sh) served on 127.0.0.1 inside the runner's namespace and
  // pinned by its sha256; a fresh folder standing for /nix
  installed: {
    title: (row) => `e2e-install.yml (mode: install, STAND-IN installer served on 127.0.0.1; expect success, node ${row.node})`,
    run: (row, s) =>
      runRunner(row, s, { workflow: INSTALL, platform: row.runner, serve: { [STAND_IN_URL]: STAND_IN },
        vars: { E2E_NIX_PREFIX: nixPrefix(row, true), E2E_INSTALLER_SHA256: context().standInSha } }),
    checks: (row) => {
      const out = "results/install.outputs";
      const prefix = () => nixPrefix(row);
      return [
        runnerPassed,
        check("the action downloaded the stand-in once from the harness's server on 127.0.0.1", (r) => expect(r.read("server/requests")).toBe(`GET ${STAND_IN_URL} 200\n`)),
        check("the download was checked against installer-sha256", (r) => expect(r.log).toContain(`installer sha256: ${context().standInSha} (matches installer-sha256)`)),
        check("the stand-in recorded one call: install linux --no-confirm --init none --extra-conf 'trusted-users = root …'", (r) => {
          const { got, want } = standInCall(prefix(), value(r, out, "container") === "true");
          expect(got).toEqual([want]);
        }),
        check("later step read environment=installed", (r) => hasLine(r, out, "environment=installed")),
        check("later step read installed=true", (r) => hasLine(r, out, "installed=true")),
        check(`later step read platform=${row.runner}`, (r) => hasLine(r, out, `platform=${row.runner}`)),
        check("the nix first on PATH in later steps is the installed prefix's", (r) => hasLine(r, out, `nix-path=${prefix()}/var/nix/profiles/default/bin/nix`)),
        check("output nix-version is what that nix --version says", (r) => {
          expect(value(r, out, "nix-version") ?? "").not.toBe("");
          expect(value(r, out, "nix-version")).toBe(value(r, out, "nix-version-seen"));
        }),
        check(`output nix-version is of Nix ${row.nix}`, (r) => nixVersionOf(value(r, out, "nix-version"), row.nix)),
        ...builtAndPushed("install", " with the installed Nix"),
        keyMasked,
        ...ranUnder(row, 1),
      ];
    },
  },

  // Control: the pin is enforced on a real runner. The same job with installer-sha256 set to
  // another hash must fail at the download, before the stand-in runs.
  "install-control": {
    title: () => "e2e-install.yml with a wrong installer-sha256 (expect failure, stand-in never run)",
    run: (row, s) => runRunner(row, s, { workflow: INSTALL, platform: row.runner, serve: { [STAND_IN_URL]: STAND_IN },
      vars: { E2E_NIX_PREFIX: nixPrefix(row, true), E2E_INSTALLER_SHA256: ZERO_PIN } }),
    checks: (row) => [
      check("a wrong installer-sha256 fails the job", runnerFailed.test),
      check("the main step's error names both hashes", (r) =>
        expect(r.read("node-witness.errors")).toMatch(new RegExp(`/dist/main/index\\.js ::error::.*installer-sha256: the installer from http://127\\.0\\.0\\.1:\\d+${STAND_IN_URL} has sha256 ${context().standInSha}, but installer-sha256 is ${ZERO_PIN}`))),
      check("the stand-in installer never ran", () => expect(existsSync(path.join(nixPrefix(row), "calls"))).toBe(false)),
    ],
  },

  // e2e-container-install-determinate.yml in a container without Nix, mode auto: DeterminateSystems'
  // real installer (0.23.0), served on 127.0.0.1 in the runner's namespace (which the job container
  // shares) and pinned, installs Nix; the job builds with it and the post step pushes. The built path
  // lives in the container's store, gone with it: the cache is checked against itself. At install
  // time the installer downloads a Nix tarball from the internet: that download is served from the
  // same local server (the step's NIX_INSTALLER_NIX_PACKAGE_URL), and must be fetched once, after
  // the installer.
  "auto-install-determinate": {
    title: () => "e2e-container-install-determinate.yml (mode auto, installer: determinate; the internet download served locally; expect success)",
    run: (row, s) => runRunner(row, s, { workflow: ".gitea/workflows/e2e-container-install-determinate.yml", platform: row.runner,
      vars: { E2E_INSTALLER_SHA256: DETERMINATE.sha },
      serve: { "/mirror/nix-installer": DETERMINATE.bin, [`/mirror/${path.basename(DETERMINATE.tarball)}`]: DETERMINATE.tarball } }),
    checks: (row) => {
      const out = "results/install.outputs";
      return [
        runnerPassed,
        check("the action downloaded the installer once from 127.0.0.1, then what it downloads from the internet, the Nix tarball, once, from the local server", (r) =>
          expect(r.read("server/requests")).toBe(`GET /mirror/nix-installer 200\nGET /mirror/${path.basename(DETERMINATE.tarball)} 200\n`)),
        check("the download was checked against installer-sha256", (r) => expect(r.log).toContain(`installer sha256: ${DETERMINATE.sha} (matches installer-sha256)`)),
        ...containerOutputs(row, out, "install"),
        check("later step read installed=true", (r) => hasLine(r, out, "installed=true")),
        check(`later step read platform=${row.runner}`, (r) => hasLine(r, out, `platform=${row.runner}`)),
        check("later step read the embedded Nix's version", (r) => hasLine(r, out, `nix-version=${DETERMINATE.nix}`)),
        ...builtAndPushed("install", " with the installed Nix"),
        keyMasked,
        ...ranUnder(row, 1),
        // 0.23.0 lists --determinate (opt-in) and no --prefer-upstream-nix: it installs upstream Nix, and says nothing
        check("no warning that this installer installs Determinate Nix", (r) => expect(r.log).not.toContain("installs Determinate Nix")),
      ];
    },
  },

  // e2e-container-probe.yml: what the job sees (platform variables, container signals, workspace),
  // printed for the record, and that the image's nix.conf (a store file behind /etc/nix/nix.conf)
  // still verifies after the action ran.
  probe: {
    title: () => "e2e-container-probe.yml",
    run: async (row, s) => {
      const r = await runRunner(row, s, { workflow: ".gitea/workflows/e2e-container-probe.yml", platform: row.runner });
      const probe = r.read("results/probe.txt");
      if (probe) console.log(probe.replace(/^/gm, "      probe: "));
      return r;
    },
    checks: (row) => [
      runnerPassed,
      check(`outputs: the environment of ${row.env}, container=true, platform=${row.runner}`, (r, s) => {
        const want = `outputs environment=${s.container?.environment} container=true platform=${row.runner} nix-version=`;
        expect(lines(r.read("results/probe.txt")).filter((l) => l.startsWith("outputs ")), want).toSatisfy((ls: string[]) => ls.some((l) => l.startsWith(want)));
      }),
      check("the image's read-only nix.conf (a store file) is unchanged after the action", (r) => hasLine(r, "results/probe.txt", "nix.conf-store-file=unchanged")),
    ],
  },

  ...GITLAB_KINDS,
};

const wrongPlatform = (row: Row) => (row.runner === "gitea" ? "act" : "gitea");

/** Every check of a row: its kind's, then what every run must leave behind. */
export function checksOf(row: Row): Check[] {
  // gitlab-ci-local drives Podman's CLI, with no service of its own: its kinds check their containers themselves
  return [...KINDS[row.kind].checks(row), nothingLeft, ...(row.runner === "gitlab" ? [] : containerAfter(row))];
}
