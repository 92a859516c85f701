/**
 * kafkajs 2.2.4's own protocol code, the reference our record batch codec is tested against byte
 * for byte. Loaded from its sources (untyped), so the types here are the little the tests use.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { BatchMessage } from '../../src/kafka/record-batch';

interface Encoded {
  buffer: Buffer;
}
interface KafkajsDecoder {
  offset: number;
}
type DecoderClass = new (buffer: Buffer) => KafkajsDecoder;

const produceV3 = require('kafkajs/src/protocol/requests/produce/v3/request') as (o: object) => {
  encode: () => Promise<Encoded>;
};
export const Long = require('kafkajs/src/utils/long') as { fromValue: (v: string | number) => { toString(): string } };
export const Decoder = require('kafkajs/src/protocol/decoder') as DecoderClass;
export const KafkaEncoder = require('kafkajs/src/protocol/encoder') as new () => Encoded & {
  writeVarInt(v: number): Encoded;
  writeVarLong(v: number): Encoded;
};
export const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;
export const decodeMessages = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages') as (
  d: KafkajsDecoder,
) => Promise<unknown[]>;

export interface ProduceInput {
  compression: number;
  messages: BatchMessage[];
  producerId?: string;
  producerEpoch?: number;
  firstSequence?: number;
  transactionalId?: string;
}

/**
 * The bytes of a produce request (v3, one topic, one partition) for these messages. With our codec
 * installed kafkajs calls it for the record batch; without, kafkajs encodes the batch itself.
 */
export async function produceRequestBytes(input: ProduceInput): Promise<Buffer> {
  const request = produceV3({
    acks: -1,
    timeout: 30_000,
    compression: input.compression,
    transactionalId: input.transactionalId ?? null,
    producerId: Long.fromValue(input.producerId ?? '-1'),
    producerEpoch: input.producerEpoch ?? 0,
    topicData: [
      {
        topic: 'sales.order_lines.v1',
        partitions: [{ partition: 2, firstSequence: input.firstSequence ?? 0, messages: input.messages }],
      },
    ],
  });
  return Buffer.from((await request.encode()).buffer);
}
