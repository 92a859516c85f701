import { installRecordBatchCodec, uninstallRecordBatchCodec } from '../../src/kafka/hooks';
import { crc32c } from '../../src/kafka/crc32c';
import { Codec, encodeRecordBatch, type BatchMessage } from '../../src/kafka/record-batch';
import {
  CorruptRecordBatchError,
  decodeRecordBatch,
  valueSpan,
  type ValueSpan,
} from '../../src/kafka/record-batch-decode';
import { Decoder, decodeMessages } from './kafkajs-reference';

const NOW = 1_764_070_000_123;
const LOG_APPEND_TIME = 0x08;
const CONTROL = 0x20;

/** A record batch as the broker returns it: our encoding (= kafkajs's) with a base offset set. */
async function batch(messages: BatchMessage[], baseOffset: bigint, compression: number, attributes = 0) {
  const options = { producerId: '4711', producerEpoch: 2, firstSequence: 40, transactional: false, now: NOW };
  const b = (await encodeRecordBatch({ ...options, messages, compression }))!;
  b.writeBigInt64BE(baseOffset, 0);
  if (attributes) {
    b.writeInt16BE(b.readInt16BE(21) | attributes, 21);
    b.writeUInt32BE(crc32c(b, 21), 17);
  }
  return b;
}

/** A fetch response's record set (int32 size + batches), decoded by kafkajs, then by our codec. */
async function bothWays(batches: Buffer[]): Promise<[unknown[], unknown[]]> {
  const set = Buffer.concat(batches);
  const framed = Buffer.concat([Buffer.alloc(4), set]);
  framed.writeInt32BE(set.length, 0);
  uninstallRecordBatchCodec();
  const theirs = await decodeMessages(new Decoder(framed));
  installRecordBatchCodec();
  try {
    // Key, value, timestamp and headers are made when read (getters): compare them as read.
    const ours = (await decodeMessages(new Decoder(framed))) as {
      key: unknown;
      value: unknown;
      timestamp: unknown;
      headers: unknown;
    }[];
    return [
      theirs,
      ours.map((r) => ({ ...r, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers })),
    ];
  } finally {
    uninstallRecordBatchCodec();
  }
}

const line = (i: number): BatchMessage => ({
  key: `171-${5040498 + i}-2322080`,
  value: JSON.stringify({ row: i, city: i % 2 ? 'PUNE' : 'बेंगलुरु' }),
  headers: { 'source-uri': 's3://b/raw.csv', 'source-row': String(i), 'run-id': 'r1' },
  timestamp: NOW + i * 1_000,
});

describe('record batch decoder', () => {
  it('decodes fetched batches into the records kafkajs decodes (offsets, timestamps, keys, values, headers)', async () => {
    const odd: BatchMessage[] = [
      { key: null, value: null },
      { value: '', headers: { twice: ['a', 'b'], thrice: ['x', Buffer.from([0]), 'z'], 'clé ✓': 'ü' } },
      { key: Buffer.from([0, 0, 0, 0]), value: Buffer.alloc(20_000, 1) },
    ];
    const batches = [
      await batch(
        Array.from({ length: 500 }, (_, i) => line(i)),
        1_000n,
        Codec.GZIP,
      ),
      await batch(odd, 1_500n, Codec.None),
      await batch([line(1), line(2)], 1_503n, Codec.GZIP, LOG_APPEND_TIME),
      await batch([line(3)], 1_505n, Codec.None, CONTROL),
      await batch([line(4), line(5)], 2n ** 53n - 1n, Codec.None),
    ];
    const [theirs, ours] = await bothWays(batches);
    expect(theirs).toHaveLength(508);
    expect(ours).toEqual(theirs);
  });

  it("gives each record's value bytes in place (valueSpan), the same bytes as its value", async () => {
    const odd: BatchMessage[] = [{ key: null, value: null }, { value: '' }, line(7)];
    const records = (await decodeRecordBatch(await batch([line(1), ...odd], 40n, Codec.GZIP), 0))!.records;
    const span: ValueSpan = { buf: Buffer.alloc(0), start: 0, end: 0 };
    const read = records.map((r) => (valueSpan(r, span) ? span.buf.toString('utf8', span.start, span.end) : null));
    expect(read).toEqual([line(1).value, null, '', line(7).value]);
    expect(records.map((r) => r.value?.toString() ?? null)).toEqual(read);
    // Messages of any other decoder give their value.
    expect(valueSpan({ value: Buffer.from('abc') }, span) && span.buf.toString('utf8', span.start, span.end)).toBe(
      'abc',
    );
    expect(valueSpan({ value: null }, span)).toBe(false);
  });

  it('stops, as kafkajs does, at a batch cut off by the end of the fetch', async () => {
    const whole = await batch([line(1), line(2)], 10n, Codec.GZIP);
    const cut = (await batch([line(3), line(4)], 12n, Codec.None)).subarray(0, 80);
    const [theirs, ours] = await bothWays([whole, cut]);
    expect(theirs).toHaveLength(2);
    expect(ours).toEqual(theirs);
    await expect(decodeRecordBatch(cut, 0)).resolves.toBeNull();
  });

  it('refuses a batch whose bytes no longer match its CRC-32C', async () => {
    const b = await batch([line(1)], 0n, Codec.None);
    b.writeUInt8(b.readUInt8(b.length - 5) ^ 0xff, b.length - 5);
    await expect(decodeRecordBatch(b, 0)).rejects.toThrow(CorruptRecordBatchError);
  });

  it('leaves codecs it does not implement to kafkajs', async () => {
    const b = await batch([line(1)], 0n, Codec.None);
    b.writeInt16BE(2, 21);
    b.writeUInt32BE(crc32c(b, 21), 17);
    await expect(decodeRecordBatch(b, 0)).resolves.toBeUndefined();
  });
});
