import { gunzipSync } from 'node:zlib';
import { installRecordBatchCodec, uninstallRecordBatchCodec } from '../../src/kafka/hooks';
import { BATCH_HEADER_BYTES, Codec, encodeRecordBatch, type BatchMessage } from '../../src/kafka/record-batch';
import { crc32c } from '../../src/kafka/crc32c';
import { RecordBatchBuilder } from '../../src/kafka/batch-builder';
import { produceRequestBytes, type ProduceInput } from './kafkajs-reference';

const NOW = 1_764_070_000_123;
const SNAPPY = 2;

/** The same produce request encoded by kafkajs alone, then with our codec plugged in. */
async function bothWays(input: ProduceInput): Promise<[Buffer, Buffer]> {
  uninstallRecordBatchCodec();
  const theirs = await produceRequestBytes(input);
  installRecordBatchCodec();
  try {
    return [theirs, await produceRequestBytes(input)];
  } finally {
    uninstallRecordBatchCodec();
  }
}

const event = (i: number): BatchMessage => ({
  key: Buffer.from(`171-${5040498 + i}-2322080`),
  value: JSON.stringify({
    schema: 'sales.order_lines.v1',
    row: i,
    city: i % 3 ? 'PUNE' : 'बेंगलुरु',
    pad: 'x'.repeat(i % 400),
  }),
  headers: { 'source-uri': 's3://sales-pipeline/raw/a.csv', 'source-row': String(i + 2), 'run-id': 'run-1' },
});

describe('record batch encoder', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['uncompressed', Codec.None],
    ['gzip', Codec.GZIP],
  ])('encodes order-line events as kafkajs does, byte for byte (%s)', async (_name, compression) => {
    const messages = Array.from({ length: 300 }, (_, i) => event(i));
    const [theirs, ours] = await bothWays({
      compression,
      messages,
      producerId: '4711',
      producerEpoch: 3,
      firstSequence: 912,
    });
    expect(ours.equals(theirs)).toBe(true);
  });

  it('encodes nulls, empty and multi-byte values, binary and repeated headers as kafkajs does', async () => {
    const messages: BatchMessage[] = [
      { key: null, value: 'no key' },
      { key: 'string key', value: null, headers: {} },
      { key: '', value: '', headers: { empty: '' } },
      { key: Buffer.from([0, 255, 128]), value: Buffer.alloc(70_000, 7), headers: { bin: Buffer.from([1, 2, 3]) } },
      { value: 'ünïcødé ✓ '.repeat(2_000), headers: { many: ['a', Buffer.from('b'), 'ç'], 'clé ✓': 'v' } },
    ];
    for (let i = 0; i < 200; i++) messages.push({ key: String(i), value: String(i * i) });
    for (const compression of [Codec.None, Codec.GZIP]) {
      const [theirs, ours] = await bothWays({ compression, messages });
      expect(ours.equals(theirs)).toBe(true);
    }
  });

  it('encodes given timestamps and transactional batches as kafkajs does', async () => {
    const messages = Array.from({ length: 70 }, (_, i) => ({
      ...event(i),
      timestamp: String(NOW - 5_000_000_000 + i * 123_456_789),
    }));
    const [theirs, ours] = await bothWays({
      compression: Codec.None,
      messages,
      producerId: '9007199254740000',
      producerEpoch: 32_000,
      firstSequence: 2_147_483_000,
      transactionalId: 'tx-1',
    });
    expect(ours.equals(theirs)).toBe(true);
  });

  it('writes a batch whose length and CRC-32C fields are right (what the broker checks)', async () => {
    const batch = (await encodeRecordBatch({
      messages: [event(1), event(2)],
      compression: Codec.GZIP,
      producerId: -1,
      producerEpoch: 0,
      firstSequence: 0,
      transactional: false,
    }))!;
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    expect(batch.readInt8(16)).toBe(2);
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
    expect(batch.readInt32BE(57)).toBe(2);
    expect(gunzipSync(batch.subarray(BATCH_HEADER_BYTES)).includes(Buffer.from('"row":2'))).toBe(true);
  });

  it('leaves codecs it does not implement to kafkajs', async () => {
    const options = { messages: [event(1)], producerId: -1, producerEpoch: 0, firstSequence: 0, transactional: false };
    await expect(encodeRecordBatch({ ...options, compression: SNAPPY })).resolves.toBeUndefined();
  });

  it('refuses a value that is neither a string nor a Buffer', async () => {
    const messages = [{ value: 42 as unknown as string }];
    const options = { messages, compression: Codec.None, producerId: -1, producerEpoch: 0, firstSequence: 0 };
    await expect(encodeRecordBatch({ ...options, transactional: false })).rejects.toThrow(/string or a Buffer/);
  });

  it.each([
    ['uncompressed', Codec.None],
    ['gzip', Codec.GZIP],
  ])(
    'sends records appended to a builder as the batch kafkajs encodes for the messages (%s)',
    async (_n, compression) => {
      const messages = Array.from({ length: 900 }, (_, i) => event(i));
      // A small first buffer: appending must grow it without losing a byte.
      const builder = new RecordBatchBuilder({ initialBytes: 4096 });
      for (const m of messages) builder.append(m);
      expect(builder.count).toBe(900);
      const taken = builder.take(2);
      expect(builder.count).toBe(0);
      uninstallRecordBatchCodec();
      const theirs = await produceRequestBytes({ compression, messages, producerId: '77', firstSequence: 5 });
      installRecordBatchCodec();
      try {
        const ours = await produceRequestBytes({ compression, messages: taken, producerId: '77', firstSequence: 5 });
        expect(ours.equals(theirs)).toBe(true);
      } finally {
        uninstallRecordBatchCodec();
      }
    },
  );

  it('refuses builder records mixed with other messages, and messages with their own timestamp', async () => {
    const builder = new RecordBatchBuilder();
    builder.append(event(1));
    const options = {
      compression: Codec.None,
      producerId: -1,
      producerEpoch: 0,
      firstSequence: 0,
      transactional: false,
    };
    const messages = [...builder.take(0), event(2)];
    await expect(encodeRecordBatch({ ...options, messages })).rejects.toThrow(/mixed/);
    expect(() => builder.append({ ...event(3), timestamp: NOW })).toThrow(/batch timestamp/);
  });

  it('gzips builder records at the level asked for', async () => {
    const options = {
      compression: Codec.GZIP,
      producerId: -1,
      producerEpoch: 0,
      firstSequence: 0,
      transactional: false,
    };
    const encoded = [];
    for (const gzipLevel of [1, 9]) {
      const builder = new RecordBatchBuilder({ gzipLevel });
      for (let i = 0; i < 300; i++) builder.append(event(i));
      encoded.push((await encodeRecordBatch({ ...options, messages: builder.take(0) }))!);
    }
    const [fast, small] = encoded as [Buffer, Buffer];
    expect(small.length).toBeLessThan(fast.length);
    expect(gunzipSync(fast.subarray(BATCH_HEADER_BYTES))).toEqual(gunzipSync(small.subarray(BATCH_HEADER_BYTES)));
  });
});
