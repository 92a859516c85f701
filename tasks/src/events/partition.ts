/**
 * Kafka's default key partitioning (the Java client's murmur2, which kafkajs's DefaultPartitioner
 * also implements), in 32-bit integer arithmetic: `Math.imul` gives the exact low 32 bits the Java
 * code keeps, without kafkajs's 64-bit Long objects. The producer computes partitions itself so it
 * can queue each partition's messages apart (one request in flight per partition).
 */
export function murmur2(data: Uint8Array, start = 0, end = data.length): number {
  const m = 0x5bd1e995;
  const length = end - start;
  let h = (0x9747b28c ^ length) | 0;
  const whole = start + (length & ~3);
  for (let i = start; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The last 1..3 bytes (Java's switch falls through the cases).
  const tail = length & 3;
  if (tail) {
    if (tail === 3) h ^= data[whole + 2]! << 16;
    if (tail >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

/** The partition of a key (`key[start, end)`) among `partitions`, as Kafka's default partitioner picks it. */
export function partitionOf(key: Uint8Array, partitions: number, start = 0, end = key.length): number {
  return (murmur2(key, start, end) & 0x7fffffff) % partitions;
}
