import { partitionOf } from '../../src/events/partition';

// kafkajs's own Java-compatible murmur2 (64-bit Long arithmetic), the reference.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

describe('partitionOf', () => {
  it('picks the partition Kafka default partitioner picks, for every key length', () => {
    const keys = ['', 'a', 'ab', 'abc', 'abcd', '405-8078784-5731545', 'S02-5278980-4327051', 'ünï-✓'];
    for (let i = 0; i < 500; i++) keys.push(`${100 + (i % 900)}-${(i * 7919) % 10_000_000}-${i}`);
    for (const key of keys) {
      const bytes = Buffer.from(key);
      for (const n of [1, 3, 7]) expect(partitionOf(bytes, n)).toBe((kafkajsMurmur2(bytes) & 0x7fffffff) % n);
    }
  });
});
