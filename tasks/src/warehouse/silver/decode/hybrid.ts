/**
 * Parquet's RLE / bit-packing hybrid (definition and repetition levels, dictionary indices) and
 * its PLAIN booleans, decoded into typed arrays. Spec: parquet-format's Encodings.md.
 */

/** Bytes a page section is read from, with a cursor. */
export interface Cursor {
  bytes: Uint8Array;
  pos: number;
}

function varint(c: Cursor, end: number): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (c.pos >= end) throw new Error('RLE run header runs past its section');
    const b = c.bytes[c.pos++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 128;
  }
}

/**
 * Decodes `count` values of `width` bits from c.pos up to `end` into out[0..count). Runs may hold
 * more values than needed (bit-packed groups come in eights); the surplus is ignored. Returns how
 * many of the values equal `target` (definition levels: the present values), counted a run at a
 * time where the values come as runs.
 */
export function readHybrid(c: Cursor, end: number, width: number, count: number, out: Int32Array, target = -1): number {
  if (width > 32) throw new Error(`bit width ${width} is over 32`);
  const bytes = c.bytes;
  const mask = width === 32 ? -1 : (1 << width) - 1;
  const valueBytes = (width + 7) >> 3;
  let words: DataView | undefined;
  let n = 0;
  let hits = 0;
  while (n < count) {
    const header = varint(c, end);
    if (header & 1) {
      // Bit-packed: (header >> 1) groups of 8 values, least significant bits first.
      const values = (header >>> 1) * 8;
      const take = Math.min(values, count - n);
      let bit = c.pos * 8;
      const last = c.pos + Math.ceil((values * width) / 8);
      if (last > end) throw new Error('bit-packed run runs past its section');
      if (width === 0) out.fill(0, n, n + take);
      else if (width === 1) {
        // Definition levels of an optional column, booleans: eight values a byte.
        let i = 0;
        for (let p = c.pos; i + 8 <= take; i += 8, p++) {
          const b = bytes[p]!;
          const at = n + i;
          out[at] = b & 1;
          out[at + 1] = (b >>> 1) & 1;
          out[at + 2] = (b >>> 2) & 1;
          out[at + 3] = (b >>> 3) & 1;
          out[at + 4] = (b >>> 4) & 1;
          out[at + 5] = (b >>> 5) & 1;
          out[at + 6] = (b >>> 6) & 1;
          out[at + 7] = b >>> 7;
        }
        for (; i < take; i++) out[n + i] = (bytes[c.pos + (i >>> 3)]! >>> (i & 7)) & 1;
      } else if (width <= 24) {
        // Each value is the 32-bit little-endian word at its first byte, shifted and masked (a
        // value's bits span at most 31 bits for widths up to 24): half the time of a byte-wise bit
        // buffer. The last values, whose word would pass the buffer's end, take the bit buffer:
        // whole bytes go in at the top until a value's bits are there, values leave from the bottom.
        words ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const fast = Math.min(take, Math.floor(((bytes.length - 4 - c.pos) * 8) / width));
        let i = 0;
        for (let bit = c.pos * 8; i < fast; i++, bit += width) {
          out[n + i] = (words.getUint32(bit >>> 3, true) >>> (bit & 7)) & mask;
        }
        let p = c.pos + ((i * width) >>> 3);
        let acc = 0;
        let held = 0;
        const skip = (i * width) & 7;
        if (skip) {
          acc = bytes[p++]! >>> skip;
          held = 8 - skip;
        }
        for (; i < take; i++) {
          while (held < width) {
            acc |= bytes[p++]! << held;
            held += 8;
          }
          out[n + i] = acc & mask;
          acc >>>= width;
          held -= width;
        }
      } else
        for (let i = 0; i < take; i++, bit += width) {
          let at = bit >> 3;
          let shift = bit & 7;
          let got = 0;
          let v = 0;
          while (got < width) {
            v |= (bytes[at]! >> shift) << got;
            got += 8 - shift;
            shift = 0;
            at++;
          }
          out[n + i] = v & mask;
        }
      if (target >= 0) for (let i = n; i < n + take; i++) if (out[i] === target) hits++;
      n += take;
      c.pos = last;
    } else {
      // A run: (header >> 1) copies of one value stored in whole bytes, little-endian.
      const run = header >>> 1;
      if (c.pos + valueBytes > end) throw new Error('RLE run runs past its section');
      let v = 0;
      for (let i = 0; i < valueBytes; i++) v |= bytes[c.pos + i]! << (8 * i);
      c.pos += valueBytes;
      const take = Math.min(run, count - n);
      out.fill(v, n, n + take);
      if (v === target) hits += take;
      n += take;
    }
  }
  return hits;
}

/** PLAIN booleans: one bit each, least significant first, from c.pos. */
export function readPlainBooleans(c: Cursor, end: number, count: number, out: Int32Array): void {
  if (c.pos + Math.ceil(count / 8) > end) throw new Error('PLAIN booleans run past their page');
  for (let i = 0; i < count; i++) out[i] = (c.bytes[c.pos + (i >> 3)]! >> (i & 7)) & 1;
  c.pos += Math.ceil(count / 8);
}

/** Bits needed for values 0..max. */
export function bitWidth(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}
