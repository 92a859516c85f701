import { BINARY_COLUMNS, DAY_COLUMNS, FACT_COLUMNS } from '../../src/warehouse/load/lines';
import { factOrderLines } from '../../src/warehouse/model/tables';

/**
 * Binary COPY (PostgreSQL's format, as load/copy-binary.ts writes it) turned back into COPY text,
 * field by field from the fact's column types, written independently of the encoder: tests use it
 * to show both formats carry the same rows. The tuples hold BINARY_COLUMNS; the day's columns
 * (the table's defaults during the load) are put back from `day`.
 */
const TYPES = BINARY_COLUMNS.map((name) => factOrderLines.columns.find((c) => c.name === name)!.type);

/** A numeric field (its bytes after the length) as text with its dscale places. */
export function numericToText(b: Buffer, at: number): string {
  const n = b.readInt16BE(at);
  const weight = b.readInt16BE(at + 2);
  const negative = b.readUInt16BE(at + 4) === 0x4000;
  const dscale = b.readInt16BE(at + 6);
  const digits = Array.from({ length: n }, (_, i) => b.readInt16BE(at + 8 + 2 * i));
  // Base-10000 digits d[i] are worth 10000^(weight - i): as a scaled BigInt of 4 * (n - weight - 1) places.
  let unscaled = 0n;
  for (const d of digits) unscaled = unscaled * 10000n + BigInt(d);
  const places = 4 * (n - weight - 1);
  const scaled =
    places >= dscale ? unscaled / 10n ** BigInt(places - dscale) : unscaled * 10n ** BigInt(dscale - places);
  const text = scaled.toString().padStart(dscale + 1, '0');
  const value = `${text.slice(0, text.length - dscale)}.${text.slice(text.length - dscale)}`;
  return negative && scaled !== 0n ? `-${value}` : value;
}

const escape = (s: string) => s.replace(/[\\\t\n\r]/g, '\\$&');

export function binaryCopyToText(data: Buffer, day: Record<string, string>): Buffer {
  if (Object.keys(day).sort().join() !== [...DAY_COLUMNS].sort().join()) throw new Error('give every day column');
  if (!data.subarray(0, 11).equals(Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'))) throw new Error('no PGCOPY signature');
  let at = 11 + 8;
  const lines: string[] = [];
  for (;;) {
    const fields = data.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    if (fields !== TYPES.length) throw new Error(`tuple of ${fields} fields, the fact has ${TYPES.length}`);
    const out: string[] = [];
    for (const type of TYPES) {
      const length = data.readInt32BE(at);
      at += 4;
      if (length === -1) {
        out.push('\\N');
        continue;
      }
      const v = data.subarray(at, at + length);
      at += length;
      if (type.startsWith('varchar')) out.push(escape(v.toString('utf8')));
      else if (type === 'date') out.push(new Date((v.readInt32BE(0) + 10_957) * 86_400_000).toISOString().slice(0, 10));
      else if (type === 'int') out.push(String(v.readInt32BE(0)));
      else if (type === 'bigint') out.push(String(v.readBigInt64BE(0)));
      else if (type === 'boolean') out.push(v[0] ? 't' : 'f');
      else if (type.startsWith('numeric')) out.push(numericToText(v, 0));
      else throw new Error(`no text form for ${type}`);
    }
    const line = FACT_COLUMNS.map((c) => (DAY_COLUMNS.includes(c) ? day[c]! : out.shift()!));
    lines.push(`${line.join('\t')}\n`);
  }
  if (at !== data.length) throw new Error(`${data.length - at} bytes after the trailer`);
  return Buffer.from(lines.join(''));
}
