import { CopyBinaryWriter } from '../../src/warehouse/load/copy-binary';
import { CopyTextWriter } from '../../src/warehouse/load/copy-text';
import { numericToText } from './copy-binary-text';
import { prng } from './prng';

describe('binary COPY writer', () => {
  const binary = (write: (w: CopyBinaryWriter) => void) => {
    const w = new CopyBinaryWriter(4);
    write(w);
    return w.take();
  };
  const text = (write: (w: CopyTextWriter) => void) => {
    const w = new CopyTextWriter(4);
    write(w);
    return w.take().toString();
  };

  it('writes numeric(12,2) cents as the text writer spells them: signs, zeros, every digit group', () => {
    const random = prng(12);
    const cents = [0, 1, -1, 99, 100, 101, 9_999, 10_000, 10_001, 12_345, -12_345, 100_000_000, 999_999_999_999];
    cents.push(-999_999_999_999, 1_000_000, 100_000_000_000, 10_000_000_000_00);
    // Either side of 2^31 - 1, where the writer leaves 32-bit integer arithmetic.
    cents.push(2_147_483_646, 2_147_483_647, -2_147_483_647, 2_147_483_648, -2_147_483_648, 99_999_999, 100_000_000);
    for (let i = 0; i < 2_000; i++) cents.push(Math.round((random() - 0.5) * 2 * 10 ** Math.floor(random() * 13)));
    for (const c of cents) {
      const b = binary((w) => w.cents(c));
      expect(b.readInt32BE(0)).toBe(b.length - 4);
      expect({ c, got: numericToText(b, 4) }).toEqual({ c, got: text((w) => w.cents(c)) });
    }
    // NULL is a length of -1 and no bytes.
    expect(binary((w) => w.cents(NaN))).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  });

  it('writes texts as their UTF-8 bytes after their byte length, ASCII or not', () => {
    for (const s of ['', '171-8103182-4300000', 'THIRUVANANTHAPURAM — Kazhakkoottam', 'tab\there']) {
      const b = binary((w) => w.text(s));
      expect(b.readInt32BE(0)).toBe(Buffer.byteLength(s));
      expect(b.subarray(4).toString('utf8')).toBe(s);
    }
  });

  it('writes ints as four big-endian bytes and booleans as one', () => {
    expect(binary((w) => w.int32(-2).bool(1).bool(0))).toEqual(
      Buffer.from([0, 0, 0, 4, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0]),
    );
  });
});
