/**
 * Just enough of Thrift's compact protocol to read a Parquet page header: a struct comes back as
 * a map from field id to value (numbers, booleans, byte ranges, nested structs, lists); fields we
 * do not use, such as statistics, are read past. Spec: thrift's doc/specs/thrift-compact-protocol.md.
 */

export type ThriftValue = number | boolean | Uint8Array | ThriftStruct | ThriftValue[];
export type ThriftStruct = Map<number, ThriftValue>;

/** A cursor over bytes holding compact-protocol values. */
export class CompactReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('page header runs past the end of its column chunk');
    return this.bytes[this.pos++]!;
  }

  /** An unsigned varint (ULEB128), as a number: page header fields stay far below 2^53. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 63) throw new Error('varint longer than 10 bytes in a page header');
    }
  }

  /** A zigzag varint (i16, i32, i64). */
  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  /** A struct, up to its stop field. */
  struct(): ThriftStruct {
    const out: ThriftStruct = new Map();
    let id = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return out;
      const type = header & 0x0f;
      const delta = header >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      out.set(id, this.value(type));
    }
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case 1:
        return true;
      case 2:
        return false;
      case 3:
        return (this.byte() << 24) >> 24;
      case 4:
      case 5:
      case 6:
        return this.zigzag();
      case 7:
        this.pos += 8;
        return 0; // a double: no page header field we read is one
      case 8: {
        const length = this.varint();
        const start = this.pos;
        this.pos += length;
        if (this.pos > this.bytes.length) throw new Error('page header runs past the end of its column chunk');
        return this.bytes.subarray(start, this.pos);
      }
      case 9:
      case 10:
        return this.list();
      case 11:
        return this.map();
      case 12:
        return this.struct();
      default:
        throw new Error(`page header holds an unknown thrift type ${type}`);
    }
  }

  private list(): ThriftValue[] {
    const header = this.byte();
    const size = header >> 4 === 15 ? this.varint() : header >> 4;
    const type = header & 0x0f;
    // In a list, booleans take a byte each (1 = true).
    const read = type === 1 || type === 2 ? () => this.byte() === 1 : () => this.value(type);
    return Array.from({ length: size }, read);
  }

  private map(): ThriftValue[] {
    const size = this.varint();
    if (size === 0) return [];
    const types = this.byte();
    const out: ThriftValue[] = [];
    for (let i = 0; i < size; i++) out.push([this.value(types >> 4), this.value(types & 0x0f)]);
    return out;
  }
}
