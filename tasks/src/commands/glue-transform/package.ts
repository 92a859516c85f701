import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

export const SCRIPT = 'clean_order_lines.py';
export const PACKAGE = 'order_lines';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** The job as Glue and spark-submit take it: the entry script and the package zipped for --extra-py-files. */
export interface PackagedJob {
  script: Buffer;
  zip: Buffer;
  files: string[];
  /** sha256 of the script and the zip together: the upload folder, so a changed job gets new keys. */
  sha256: string;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/**
 * A zip archive with the entries stored uncompressed, in the given order, every timestamp
 * 1980-01-01 00:00: the same files always give the same bytes (and the same upload key).
 */
export function zipStored(entries: ZipEntry[]): Buffer {
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const common = [u16(20), u16(0x0800), u16(0), u16(0), u16(DOS_DATE), u32(crc), u32(data.length), u32(data.length)];
    const local = Buffer.concat([u32(0x04034b50), ...common, u16(nameBytes.length), u16(0), nameBytes, data]);
    const central = Buffer.concat([
      u32(0x02014b50),
      u16(20),
      ...common,
      u16(nameBytes.length),
      u16(0),
      u16(0),
      u16(0),
      u16(0),
      u32(0),
      u32(offset),
      nameBytes,
    ]);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(entries.length),
    u16(entries.length),
    u32(directory.length),
    u32(offset),
    u16(0),
  ]);
  return Buffer.concat([...locals, directory, end]);
}

function walk(dir: string, base: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (name === '__pycache__' || name.startsWith('.')) return [];
      if (statSync(full).isDirectory()) return walk(full, base);
      return /\.(py|csv)$/.test(name) ? [path.relative(base, full).split(path.sep).join('/')] : [];
    });
}

/**
 * Packages glue/jobs: the entry script as is, and order_lines/ (its .py and reference .csv files)
 * as a zip that `--extra-py-files` (Glue) and `--py-files` (spark-submit) put on sys.path.
 * @throws Error when the script or the package is missing from `jobDir`.
 */
export function packageJob(jobDir: string): PackagedJob {
  const script = readFileSync(path.join(jobDir, SCRIPT));
  const files = walk(path.join(jobDir, PACKAGE), jobDir);
  if (!files.includes(`${PACKAGE}/__init__.py`)) throw new Error(`${jobDir}/${PACKAGE}/__init__.py is missing`);
  const zip = zipStored(files.map((name) => ({ name, data: readFileSync(path.join(jobDir, name)) })));
  const sha256 = createHash('sha256').update(script).update(zip).digest('hex');
  return { script, zip, files, sha256 };
}
