/**
 * Kafka's variable-length integers (record fields since magic 2): zigzag-encoded, then 7 bits per
 * byte, low group first, the high bit set on every byte but the last (protobuf's encoding).
 * Varints are 32-bit; varlongs (timestamp deltas) are Numbers here, exact within ±2^53, which
 * is all a millisecond timestamp delta needs: Number arithmetic for the usual small values, BigInt
 * only where a zigzagged value would pass 2^53.
 */

const zigzag32 = (v: number) => ((v << 1) ^ (v >> 31)) >>> 0;
/** Zigzag in Number arithmetic: exact while |v| < 2^52. */
const zigzag52 = (v: number) => (v >= 0 ? v * 2 : -v * 2 - 1);
const LARGE = 2 ** 52;
const zigzagBig = (v: number) => {
  const b = BigInt(v);
  return b >= 0n ? b << 1n : (-b << 1n) - 1n;
};

/** Bytes a 32-bit signed varint takes. */
export function sizeOfVarint(value: number): number {
  let z = zigzag32(value);
  let bytes = 1;
  while (z >= 0x80) {
    z >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Bytes a varlong of a safe integer takes. */
export function sizeOfVarlong(value: number): number {
  if (Math.abs(value) >= LARGE) return Math.ceil(zigzagBig(value).toString(2).length / 7);
  let z = zigzag52(value);
  let bytes = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 128);
    bytes++;
  }
  return bytes;
}

/** Writes a 32-bit signed varint at `at`; returns the offset after it. */
export function writeVarint(buf: Uint8Array, at: number, value: number): number {
  let z = zigzag32(value);
  while (z >= 0x80) {
    buf[at++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[at++] = z;
  return at;
}

/** Writes a varlong of a safe integer at `at`; returns the offset after it. */
export function writeVarlong(buf: Uint8Array, at: number, value: number): number {
  if (Math.abs(value) >= LARGE) {
    let big = zigzagBig(value);
    while (big >= 0x80n) {
      buf[at++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    buf[at++] = Number(big);
    return at;
  }
  let z = zigzag52(value);
  while (z >= 0x80) {
    buf[at++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[at++] = z;
  return at;
}

/** A read position over a buffer, for decoding varints and the fields around them. */
export class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  /** A 32-bit signed varint. @throws RangeError past the end or on more than 5 bytes. */
  varint(): number {
    let z = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.buf.length) throw new RangeError('varint runs past the end of the buffer');
      const b = this.buf[this.pos++]!;
      z |= (b & 0x7f) << shift;
      if (b < 0x80) return (z >>> 1) ^ -(z & 1);
    }
    throw new RangeError('varint longer than 5 bytes');
  }

  /** A varlong as a Number (exact within ±2^53). @throws RangeError past the end or on more than 10 bytes. */
  varlong(): number {
    const start = this.pos;
    let z = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new RangeError('varlong runs past the end of the buffer');
      const b = this.buf[this.pos++]!;
      z += (b & 0x7f) * scale;
      scale *= 128;
      if (b >= 0x80) continue;
      // Seven groups are 49 bits, exact in a Number; longer ones are summed again in BigInt.
      if (i >= 7) return this.bigVarlong(start);
      return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    }
    throw new RangeError('varlong longer than 10 bytes');
  }

  private bigVarlong(start: number): number {
    let z = 0n;
    for (let i = start, shift = 0n; i < this.pos; i++, shift += 7n) z |= BigInt(this.buf[i]! & 0x7f) << shift;
    return Number(z & 1n ? -((z + 1n) >> 1n) : z >> 1n);
  }

  /** Moves past a length-prefixed byte string (as `bytes`, without making its view). */
  skipBytes(): void {
    const length = this.varint();
    if (length < 0) return;
    if (this.pos + length > this.buf.length) throw new RangeError('bytes run past the end of the buffer');
    this.pos += length;
  }

  /** Length-prefixed bytes (varint length, -1 = null) as a view into the buffer, not a copy. */
  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const end = this.pos + length;
    if (end > this.buf.length) throw new RangeError('bytes run past the end of the buffer');
    const view = this.buf.subarray(this.pos, end);
    this.pos = end;
    return view;
  }
}
