import { createReadStream, createWriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { ActionError } from "../errors.js";
import { run } from "../exec.js";
import { realPathOf } from "../nix/locate.js";
import * as io from "../step-io.js";

export type ArchiveKind = "docker-archive" | "gzip" | "stream";

const GZIP_MAGIC = [0x1f, 0x8b];

/** What the build made: an executable is a streamLayeredImage script, a file starting 1f 8b a gzip archive. */
export async function archiveKind(file: string): Promise<ArchiveKind> {
  const st = await stat(file);
  if ((st.mode & 0o111) !== 0) return "stream";
  const fh = await open(file, "r");
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1] ? "gzip" : "docker-archive";
  } finally {
    await fh.close();
  }
}

/**
 * A plain docker-archive skopeo can read, made from what the build made, in `dir` when it must be
 * written: a stream script is run to a tar, and a gzip-compressed archive (what buildLayeredImage
 * writes) is decompressed, since skopeo 1.9 (Debian 12) fails to read compressed docker-archives
 * ("unexpected EOF").
 */
export async function plainArchive(archive: string, dir: string): Promise<string> {
  const real = realPathOf(archive);
  const st = await stat(real).catch(() => undefined);
  if (!st?.isFile()) {
    throw new ActionError(`${archive}${real !== archive ? ` (${real})` : ""} is not a docker-archive file (use dockerTools.buildLayeredImage or streamLayeredImage)`);
  }
  const tar = path.join(dir, "image.tar");
  const kind = await archiveKind(real);
  if (kind === "stream") {
    io.info(`${archive} is a stream script (streamLayeredImage): writing the archive to ${tar}`);
    const r = await run(real, [], { stdoutFile: tar, echo: true });
    if (r.code !== 0) throw new ActionError(`the stream script ${real} exited ${r.code} (see its message above)`);
    return tar;
  }
  if (kind === "gzip") {
    io.info(`${archive} is a gzip-compressed archive: decompressing to ${tar}`);
    try {
      await pipeline(createReadStream(real), createGunzip(), createWriteStream(tar, { mode: 0o600 }));
    } catch (err) {
      throw new ActionError(`decompressing ${real} failed: ${(err as Error).message}; is the build result a complete archive?`);
    }
    return tar;
  }
  return real;
}
