import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseShowConfig } from "../../src/nix/config.js";
import { readConfFiles } from "../../src/nix/conf-files.js";

const K1 = "k1:" + Buffer.alloc(32, 1).toString("base64");
const K2 = "k2:" + Buffer.alloc(32, 2).toString("base64");
const K3 = "k3:" + Buffer.alloc(32, 3).toString("base64");

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

interface Setup {
  /** Files relative to a fresh root; `etc/nix.conf` is the system file (NIX_CONF_DIR=<root>/etc). */
  files: Record<string, string>;
  /** Extra env; `@` in a value stands for the root. */
  env?: Record<string, string>;
}

/** A fresh root with the files written, and the env a job would have there (HOME in the root too). */
function prepare(s: Setup): { root: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(path.join(os.tmpdir(), "nra-conf-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(s.files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text.replace(/@/g, root));
  }
  mkdirSync(path.join(root, "home"), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: path.join(root, "home"),
    NIX_CONF_DIR: path.join(root, "etc"),
    XDG_CONFIG_DIRS: path.join(root, "xdg"),
  };
  for (const [k, v] of Object.entries(s.env ?? {})) env[k] = v.replace(/@/g, root);
  return { root, env };
}

/** What Nix itself says, for a client (`systemOnly` false) or for a daemon (its nix.conf alone). */
function showConfig(env: NodeJS.ProcessEnv, cwd: string, systemOnly: boolean) {
  const e = { ...env };
  if (systemOnly) {
    delete e.NIX_CONFIG;
    e.NIX_USER_CONF_FILES = "";
  }
  const r = spawnSync("nix", ["--extra-experimental-features", "nix-command", "show-config"], { env: e, cwd, encoding: "utf8" });
  return r.status === 0 ? parseShowConfig(r.stdout) : { failed: r.stderr.trim() };
}

const SETUPS: Record<string, Setup> = {
  "no files at all: Nix's built-in values": { files: {} },
  "system file sets lists": {
    files: { "etc/nix.conf": `substituters = http://a http://b\ntrusted-public-keys = ${K1}\ntrusted-users = root @wheel ci\n` },
  },
  "extra- appends, a later plain setting replaces": {
    files: {
      "etc/nix.conf": `substituters = http://a\nextra-substituters = http://b\nextra-trusted-public-keys = ${K1}\n`,
      "home/.config/nix/nix.conf": `extra-substituters = http://c\ntrusted-public-keys = ${K2}\n`,
    },
    env: { NIX_CONFIG: `extra-trusted-public-keys = ${K3}\nextra-substituters = http://d` },
  },
  "NIX_CONFIG replaces what the files said": {
    files: { "etc/nix.conf": "substituters = http://a\n" },
    env: { NIX_CONFIG: "substituters =\nextra-trusted-users = ci" },
  },
  "comments, tabs, blank lines and the old aliases": {
    files: {
      "etc/nix.conf":
        "# machine config\n\n\tbinary-caches = http://a   # old name\nextra-binary-caches\t=\thttp://b\n" +
        `binary-cache-public-keys = ${K1}\ntrusted-binary-caches = http://t\nextra-trusted-substituters = http://u # and more\n`,
    },
  },
  "include relative to the including file, nested, and !include of a missing file": {
    files: {
      "etc/nix.conf": "substituters = http://a\ninclude sub/more.conf\n!include absent.conf\nextra-substituters = http://z\n",
      "etc/sub/more.conf": "extra-substituters = http://b\ninclude ../deeper.conf\n",
      "etc/deeper.conf": `extra-trusted-public-keys = ${K2}\n`,
    },
  },
  "NIX_USER_CONF_FILES: the first file listed wins, XDG is not read": {
    files: {
      "u1.conf": "substituters = http://first\n",
      "u2.conf": "substituters = http://second\nextra-trusted-users = u2\n",
      "home/.config/nix/nix.conf": "substituters = http://xdg\n",
    },
    env: { NIX_USER_CONF_FILES: "@/u1.conf:@/u2.conf" },
  },
  "XDG_CONFIG_HOME before XDG_CONFIG_DIRS, which apply last-first": {
    files: {
      "cfg/nix/nix.conf": "extra-substituters = http://home\n",
      "xdg/nix/nix.conf": "substituters = http://xdg1\n",
      "xdg2/nix/nix.conf": "substituters = http://xdg2\nextra-trusted-users = xdg2\n",
    },
    env: { XDG_CONFIG_HOME: "@/cfg", XDG_CONFIG_DIRS: "@/xdg:@/xdg2" },
  },
  "NIX_CONFIG's !include of the action's own file, and a missing one": {
    files: { "etc/nix.conf": "", "job/ours.conf": `extra-substituters = http://ours\nextra-trusted-public-keys = ${K3}\n` },
    env: { NIX_CONFIG: "max-jobs = 2\n!include @/job/ours.conf\n!include @/job/gone.conf" },
  },
};

describe("readConfFiles: the same four lists as `nix show-config`, read from the files (real Nix)", () => {
  for (const [name, setup] of Object.entries(SETUPS)) {
    it(name, async () => {
      const { root, env } = prepare(setup);
      const nix = showConfig(env, root, false);
      expect(nix).not.toHaveProperty("failed");
      expect(await readConfFiles(env)).toEqual(nix);
      // the daemon's view: its nix.conf only
      expect(await readConfFiles(env, { systemOnly: true })).toEqual(showConfig(env, root, true));
    });
  }

  it("the setups differ from Nix's defaults, so agreeing with Nix means something", async () => {
    const seen = new Set<string>();
    for (const setup of Object.values(SETUPS)) {
      const { env } = prepare(setup);
      seen.add(JSON.stringify(await readConfFiles(env)));
    }
    expect(seen.size).toBe(Object.keys(SETUPS).length);
  });
});

describe("readConfFiles: when unsure, it says so and the action asks Nix", () => {
  const UNSURE: Record<string, Setup> = {
    "an include of a missing file (Nix fails)": { files: { "etc/nix.conf": "include nowhere.conf\n" } },
    "a line without ' = ' (Nix fails)": { files: { "etc/nix.conf": "substituters http://a\n" } },
    "an include with two paths (Nix fails)": { files: { "etc/nix.conf": "include a.conf b.conf\n", "etc/a.conf": "", "etc/b.conf": "" } },
    "a bad line in NIX_CONFIG (Nix fails)": { files: {}, env: { NIX_CONFIG: "substituters=http://a" } },
    "a relative include in NIX_CONFIG (Nix 2.8 fails)": { files: { "rel.conf": "" }, env: { NIX_CONFIG: "include rel.conf" } },
  };
  for (const [name, setup] of Object.entries(UNSURE)) {
    it(name, async () => {
      const { root, env } = prepare(setup);
      expect(await readConfFiles(env)).toBeUndefined();
      expect(showConfig(env, root, false)).toHaveProperty("failed");
    });
  }

  it("a store outside /nix/store (built-in substituters differ between versions)", async () => {
    const { env } = prepare({ files: {}, env: { NIX_STORE_DIR: "@/store" } });
    expect(await readConfFiles(env)).toBeUndefined();
  });

  it("an include cycle", async () => {
    const { env } = prepare({ files: { "etc/nix.conf": "include loop.conf\n", "etc/loop.conf": "include nix.conf\n" } });
    expect(await readConfFiles(env)).toBeUndefined();
  });
});
