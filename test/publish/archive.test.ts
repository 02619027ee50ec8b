import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ActionError } from "../../src/errors.js";
import { archiveKind, plainArchive } from "../../src/publish/archive.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "nra-archive-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Stands for a docker-archive: what matters here is that the bytes skopeo gets are the tar's.
const TAR = Buffer.concat([Buffer.from("manifest.json\0"), Buffer.alloc(2048, 7)]);

function file(name: string, content: Buffer | string, mode = 0o644): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, mode);
  return p;
}

/** A fresh work dir for one call, as the step makes one under RUNNER_TEMP. */
const work = () => mkdtempSync(path.join(dir, "work-"));

async function quietly<T>(f: () => Promise<T>): Promise<{ value: T; log: string }> {
  let log = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((log += String(c)), true));
  try {
    return { value: await f(), log };
  } finally {
    spy.mockRestore();
  }
}

describe("archiveKind", () => {
  it("an executable is a stream script, 1f 8b a gzip archive, anything else a docker-archive", async () => {
    expect(await archiveKind(file("s", "#!/bin/sh\n", 0o755))).toBe("stream");
    expect(await archiveKind(file("g", gzipSync(TAR)))).toBe("gzip");
    expect(await archiveKind(file("t", TAR))).toBe("docker-archive");
    expect(await archiveKind(file("one-byte", Buffer.from([0x1f])))).toBe("docker-archive");
  });
});

describe("plainArchive: a tar skopeo 1.9 can read, from what the build made", () => {
  it("a plain docker-archive is used where it is (through the out-link), not copied", async () => {
    const tar = file("image.tar", TAR);
    const link = path.join(dir, "result-plain");
    symlinkSync(tar, link);
    const w = work();
    expect((await quietly(() => plainArchive(link, w))).value).toBe(tar);
  });

  it("a gzip-compressed archive (buildLayeredImage) is decompressed into the work dir", async () => {
    const w = work();
    const { value, log } = await quietly(() => plainArchive(file("image.tar.gz", gzipSync(TAR)), w));
    expect(value).toBe(path.join(w, "image.tar"));
    expect(readFileSync(value).equals(TAR)).toBe(true);
    expect(log).toContain("image.tar.gz is a gzip-compressed archive: decompressing to");
  });

  it("a streamLayeredImage script is run to a tar", async () => {
    const tar = file("streamed.tar", TAR);
    const w = work();
    const { value, log } = await quietly(() => plainArchive(file("stream", `#!/bin/sh\nexec cat '${tar}'\n`, 0o755), w));
    expect(value).toBe(path.join(w, "image.tar"));
    expect(readFileSync(value).equals(TAR)).toBe(true);
    expect(log).toContain("stream is a stream script (streamLayeredImage): writing the archive to");
  });

  it("a stream script that fails, a damaged gzip and a directory are errors that say which", async () => {
    const failing = file("bad-stream", "#!/bin/sh\necho no space >&2\nexit 4\n", 0o755);
    await expect(quietly(() => plainArchive(failing, work()))).rejects.toThrow(`the stream script ${failing} exited 4`);
    const damaged = file("damaged.tar.gz", gzipSync(TAR).subarray(0, 30));
    await expect(quietly(() => plainArchive(damaged, work()))).rejects.toThrow(/^decompressing .*damaged\.tar\.gz failed: .*complete archive\?$/);
    const folder = path.join(dir, "result-dir");
    mkdirSync(folder);
    const err = await plainArchive(folder, work()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as Error).message).toBe(`${folder} is not a docker-archive file (use dockerTools.buildLayeredImage or streamLayeredImage)`);
    await expect(plainArchive(path.join(dir, "missing"), work())).rejects.toThrow("is not a docker-archive file");
  });
});
