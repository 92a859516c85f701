import { crc32c } from '../../src/kafka/crc32c';
import { Reader, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../../src/kafka/varint';
import { KafkaEncoder, kafkajsCrc32c } from './kafkajs-reference';

const INT32 = [
  0,
  1,
  -1,
  63,
  -64,
  64,
  -65,
  127,
  128,
  8191,
  8192,
  1_048_575,
  1_048_576,
  2 ** 28,
  2 ** 31 - 1,
  -(2 ** 31),
];
const SAFE = [
  ...INT32,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 35 + 7,
  -(2 ** 42),
  1_764_070_000_123,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
];

describe('varints', () => {
  it('writes 32-bit varints as kafkajs does and reads them back', () => {
    for (const v of INT32) {
      const buf = Buffer.alloc(5);
      const end = writeVarint(buf, 0, v);
      expect(end).toBe(sizeOfVarint(v));
      expect(buf.subarray(0, end)).toEqual(new KafkaEncoder().writeVarInt(v).buffer);
      const r = new Reader(buf);
      expect(r.varint()).toBe(v);
      expect(r.pos).toBe(end);
    }
  });

  it('writes varlongs of safe integers as kafkajs does and reads them back', () => {
    for (const v of SAFE) {
      const buf = Buffer.alloc(10);
      const end = writeVarlong(buf, 0, v);
      expect(end).toBe(sizeOfVarlong(v));
      expect(buf.subarray(0, end)).toEqual(new KafkaEncoder().writeVarLong(v).buffer);
      expect(new Reader(buf).varlong()).toBe(v);
    }
  });

  it('refuses to read past the end of the buffer or an endless varint', () => {
    expect(() => new Reader(Buffer.from([0x80, 0x80])).varint()).toThrow(RangeError);
    expect(() => new Reader(Buffer.alloc(6, 0xff)).varint()).toThrow(/longer than 5 bytes/);
    expect(() => new Reader(Buffer.from([0x0a, 1, 2])).bytes()).toThrow(/past the end/);
  });

  it('reads length-prefixed bytes as views, and -1 as null', () => {
    const buf = Buffer.from([0x06, 0x61, 0x62, 0x63, 0x01]);
    const r = new Reader(buf);
    expect(r.bytes()?.toString()).toBe('abc');
    expect(r.bytes()).toBeNull();
  });
});

describe('crc32c', () => {
  it('gives the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('equals kafkajs CRC-32C on every length and start offset', () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 13) {
        expect(crc32c(data, start, end)).toBe(kafkajsCrc32c(data.subarray(start, end)));
      }
    }
  });
});
