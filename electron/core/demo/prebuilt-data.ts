/**
 * The demo's prebuilt data folder: a PGlite data directory already seeded with Chinook,
 * packed as a gzipped tar (`chinook-pgdata.tar.gz`, rebuilt by `scripts/build-demo-data.mjs`).
 *
 * Why: creating PGlite's empty data folder (its initdb) takes ~3.5 s and loading Chinook's
 * SQL ~0.7 s, so a first start from SQL takes ~4 s; unpacking the prebuilt folder and opening
 * it takes a fraction of that.
 *
 * Why our own tar code rather than PGlite's `dumpDataDir()` / `loadDataDir` option (PGlite
 * 0.5): `loadDataDir` unpacks through PGlite's JavaScript gzip and filesystem layer and took
 * ~1.4 s for this folder, where Node's native zlib and plain file writes take a few hundred ms;
 * and `dumpDataDir()` snapshots a running database, so every start from it ran crash recovery
 * and it carried a recycled 16 MB WAL segment of old log (3 MB more compressed). Packing the
 * folder after a clean shutdown, without WAL segments past the last checkpoint's, avoids both.
 *
 * The tar is plain ustar (`tar tzf` lists it). Its first entry is a manifest naming the seed
 * script it was built from (by sha256), so a changed seed script makes the prebuilt folder
 * stale, and the demo seeds from SQL instead.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';

export const PREBUILT_MANIFEST = 'cabinet-demo-prebuilt.json';

export interface PrebuiltManifest {
  format: 1;
  /** Seed name, e.g. `chinook-1.4.5`. */
  seed: string;
  /** sha256 (hex) of the seed script the folder was built from. */
  seedSha256: string;
  /** PGlite's version at build time (for people; opening is the real test). */
  pglite: string;
  builtAt: string;
}

interface PrebuiltEntry {
  /** Relative, `/`-separated, no `.` or `..` segments. */
  path: string;
  type: 'file' | 'dir';
  data: Buffer;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Packs the data folder `dir` (after PGlite closed it) with `manifest` as the first entry.
 * `skip` leaves out a path (relative, `/`-separated), e.g. WAL segments nobody needs.
 */
export async function packPrebuilt(
  dir: string,
  manifest: PrebuiltManifest,
  skip: (path: string) => boolean = () => false,
): Promise<Buffer> {
  const blocks: Buffer[] = [];
  const add = (path: string, type: 'file' | 'dir', data = Buffer.alloc(0)) => {
    blocks.push(tarHeader(path, type, data.length));
    if (data.length) blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  };
  add(PREBUILT_MANIFEST, 'file', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(join(dir, rel))).sort();
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      if (skip(path)) continue;
      const info = await stat(join(dir, path));
      if (info.isDirectory()) {
        add(`${path}/`, 'dir');
        await walk(path);
      } else if (info.isFile()) {
        add(path, 'file', await readFile(join(dir, path)));
      } else {
        throw new Error(`Cannot pack ${path}: not a file or folder.`);
      }
    }
  };
  await walk('');
  blocks.push(Buffer.alloc(1024)); // end of archive: two zero blocks
  return promisify(gzip)(Buffer.concat(blocks), { level: 9 });
}

/**
 * Unpacks a prebuilt tarball into `dest` (which must not exist yet; folders 0700, files 0600).
 * It streams: zlib inflates on a worker thread while this thread writes the files already
 * complete, with synchronous writes, a chunk's worth at a time (measured: 40% faster than a
 * thousand async writeFile calls). The manifest comes first and is handed to `accept`; when that
 * says no, nothing is written and the result is null. Throws on anything unexpected (bad gzip,
 * bad header checksum, truncation, a path escaping the folder, no manifest first); the caller
 * removes what was written.
 */
export async function unpackPrebuilt(
  file: string,
  dest: string,
  accept: (manifest: PrebuiltManifest) => boolean,
): Promise<PrebuiltManifest | null> {
  let manifest: PrebuiltManifest | null = null;
  const made = new Set<string>();
  const ensureDir = (path: string) => {
    if (made.has(path)) return;
    mkdirSync(join(dest, path), { recursive: true, mode: 0o700 });
    made.add(path);
  };
  const source = createReadStream(file);
  const tar = new TarReader();
  try {
    // pipeline, not pipe: a read error must end the loop below, not leave it waiting.
    for await (const chunk of pipeline(source, createGunzip(), () => {})) {
      for (const entry of tar.push(chunk as Buffer)) {
        if (!manifest) {
          if (entry.path !== PREBUILT_MANIFEST) throw new Error(`${file} does not start with ${PREBUILT_MANIFEST}.`);
          manifest = JSON.parse(entry.data.toString('utf8')) as PrebuiltManifest;
          if (manifest.format !== 1 || typeof manifest.seedSha256 !== 'string') throw new Error(`${file}: unknown manifest format.`);
          if (!accept(manifest)) return null;
          mkdirSync(dest, { mode: 0o700 });
          made.add('');
        } else if (entry.type === 'dir') {
          ensureDir(entry.path);
        } else {
          const slash = entry.path.lastIndexOf('/');
          ensureDir(slash > 0 ? entry.path.slice(0, slash) : '');
          writeSparse(join(dest, entry.path), entry.data);
        }
      }
    }
    if (!tar.ended) throw new Error(`Truncated tar: ${file} has no end-of-archive marker.`);
    if (!manifest) throw new Error(`${file} is empty.`);
    return manifest;
  } finally {
    source.destroy();
  }
}

/**
 * Writes `data`, leaving its trailing zeros as a hole: a WAL segment is 16 MB of which the
 * first few KB are log, and PostgreSQL reads a hole as the zeros it stands for.
 */
function writeSparse(path: string, data: Buffer): void {
  let end = data.length;
  const step = ZERO_BLOCK.length;
  while (end >= step && data.subarray(end - step, end).equals(ZERO_BLOCK)) end -= step;
  while (end > 0 && data[end - 1] === 0) end--;
  if (end === data.length) return writeFileSync(path, data, { mode: 0o600 });
  const fd = openSync(path, 'w', 0o600);
  try {
    if (end > 0) writeSync(fd, data, 0, end, 0);
    ftruncateSync(fd, data.length);
  } finally {
    closeSync(fd);
  }
}
const ZERO_BLOCK = Buffer.alloc(64 * 1024);

// ---------------------------------------------------------------------------------------
// ustar: 512-byte headers, data padded to 512 bytes, two zero blocks at the end.

function tarHeader(path: string, type: 'file' | 'dir', size: number): Buffer {
  const h = Buffer.alloc(512);
  if (Buffer.byteLength(path) > 100) throw new Error(`Cannot pack ${path}: name longer than 100 bytes.`);
  h.write(path, 0, 100, 'utf8');
  writeOctal(h, 100, 8, type === 'dir' ? 0o700 : 0o600);
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0); // mtime: none, so that the same folder packs the same
  h.write(type === 'dir' ? '5' : '0', 156, 'latin1');
  h.write('ustar\u000000', 257, 'latin1');
  h.write(checksum(h).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function writeOctal(h: Buffer, offset: number, length: number, value: number): void {
  h.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1');
}

/** Sum of the header's bytes, its checksum field counted as spaces. */
function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum;
}

function field(h: Buffer, offset: number, length: number): string {
  const raw = h.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** Reads ustar entries from a byte stream split anyhow; `ended` once the end-of-archive block came. */
class TarReader {
  ended = false;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private offset = 0; // archive offset of the first buffered byte, for messages
  private header: { path: string; type: 'file' | 'dir'; size: number } | null = null;

  /** Adds bytes; returns the entries they completed. */
  push(chunk: Buffer): PrebuiltEntry[] {
    const done: PrebuiltEntry[] = [];
    if (this.ended) return done; // padding after the end-of-archive block
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (!this.header) {
        if (this.buffered < 512) return done;
        const h = this.take(512);
        if (h.every((b) => b === 0)) {
          this.ended = true;
          return done;
        }
        this.header = parseHeader(h, this.offset - 512);
      }
      const padded = Math.ceil(this.header.size / 512) * 512;
      if (this.buffered < padded) return done;
      const data = this.take(padded).subarray(0, this.header.size);
      done.push({ path: this.header.path, type: this.header.type, data });
      this.header = null;
    }
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    this.offset += n;
    return taken;
  }
}

function parseHeader(h: Buffer, at: number): { path: string; type: 'file' | 'dir'; size: number } {
  const sum = parseInt(field(h, 148, 8).trim(), 8);
  if (sum !== checksum(h)) throw new Error(`Bad tar header checksum at byte ${at}.`);
  if (!field(h, 257, 6).startsWith('ustar')) throw new Error(`Not a ustar header at byte ${at}.`);
  const prefix = field(h, 345, 155);
  const name = (prefix ? `${prefix}/` : '') + field(h, 0, 100);
  const size = parseInt(field(h, 124, 12).trim() || '0', 8);
  const typeflag = String.fromCharCode(h[156]);
  const type = typeflag === '5' ? 'dir' : typeflag === '0' || typeflag === '\0' ? 'file' : null;
  if (!type) throw new Error(`Unexpected tar entry type '${typeflag}' for ${name}.`);
  if (!Number.isSafeInteger(size) || size < 0 || (type === 'dir' && size !== 0)) throw new Error(`Bad size for tar entry ${name}.`);
  return { path: safePath(name), type, size };
}

/** A relative path inside the folder, or an error: no absolute paths, no `..`. */
function safePath(name: string): string {
  const parts = name.replace(/\/+$/, '').split('/');
  if (!name || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
    throw new Error(`Unsafe path in tar: ${JSON.stringify(name)}.`);
  }
  return parts.join('/');
}
