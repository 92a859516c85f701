import type { Admin, Kafka } from 'kafkajs';
import { commitThrough } from '../../src/commands/stream-land/land-batch';
import { LandingWatch, SinkError, sinkOf } from '../../src/commands/stream-land/watch';
import {
  parseProgress,
  progressGroup,
  progressRecord,
  readProgress,
  transactionalId,
} from '../../src/commands/stream-produce/progress';
import { Publisher } from '../../src/commands/stream-produce/publisher';

describe('LandingWatch', () => {
  const limits = { maxRestarts: 2, stallMs: 10_000 };

  it('allows the configured restarts, then fails naming the S3 store and its last error', () => {
    const watch = new LandingWatch(limits, 0);
    const s3 = new SinkError(
      's3',
      'bucket b at http://127.0.0.1:1',
      Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' }),
    );
    expect([watch.crashed(s3), watch.crashed(s3), watch.crashed(s3)]).toEqual([true, true, false]);
    const verdict = watch.verdict(1);
    expect(verdict?.message).toMatch(
      /gave up after 2 consumer restart\(s\); failing sink: the S3 store; last error: the S3 store \(bucket b at http:\/\/127\.0\.0\.1:1\) failed: Error: connect ECONNREFUSED/,
    );
    expect(verdict?.exitCode).toBe(3);
  });

  it("finds the sink through kafkajs's wrapping of what eachBatch threw", () => {
    const inner = new SinkError('s3', 'bucket b', new Error('NoSuchBucket'));
    const wrapped = Object.assign(new Error(String(inner)), { name: 'KafkaJSNumberOfRetriesExceeded', cause: inner });
    expect(sinkOf(wrapped)).toBe('s3');
    expect(sinkOf(Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' }))).toBe('kafka');
    expect(sinkOf(new Error('other'))).toBeUndefined();
  });

  it("fails after stallMs without the group's committed offsets moving, and not before", () => {
    const watch = new LandingWatch(limits, 0);
    watch.progress(
      new Map([
        [0, 5n],
        [1, 0n],
      ]),
      1_000,
    );
    expect(watch.verdict(10_999)).toBeUndefined();
    // The same committed offsets later are no progress; a higher sum is.
    watch.progress(
      new Map([
        [0, 5n],
        [1, 0n],
      ]),
      9_000,
    );
    expect(watch.verdict(11_001)?.message).toMatch(
      /no offset committed for 10 s; failing sink: an unknown sink; no error was reported/,
    );
    watch.progress(
      new Map([
        [0, 5n],
        [1, 1n],
      ]),
      11_002,
    );
    expect(watch.verdict(20_000)).toBeUndefined();
  });
});

describe('commitThrough', () => {
  it('moves past trailing transaction markers, but never past the end of the run or backwards', () => {
    // The fetch ended with a commit marker at offset 9: commit 10 although the last message was 8.
    expect(commitThrough('9', 100n, 9n)).toBe('10');
    expect(commitThrough('120', 100n, 9n)).toBe('100');
    expect(commitThrough('3', 100n, 9n)).toBe('9');
  });
});

describe('produce progress records', () => {
  it('round-trip the counts through the offset metadata and name one group per dataset, day and content', () => {
    const p = progressRecord(progressGroup('ds', '2022-04-30', 'abc'), 't', 1200, {
      events: 1190,
      deadLettered: 10,
      reasons: { bad_qty: 10 },
    });
    expect(p).toMatchObject({
      group: 'sales-pipeline.stream-produce.progress.ds.2022-04-30.abc',
      topic: 't',
      offset: 1200,
    });
    expect(parseProgress(String(p.offset), p.metadata)).toEqual({
      records: 1200,
      counts: { events: 1190, deadLettered: 10, reasons: { bad_qty: 10 } },
    });
    expect(transactionalId('ds', '2022-04-27')).toBe('sales-pipeline.stream-produce.ds.2022-04-27');
  });

  it('treat a group without a committed offset as nothing done', () => {
    expect(parseProgress('-1', '')).toBeUndefined();
  });

  it('keep the metadata under the broker limit with many reasons, the counts exact', () => {
    const reasons = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`reason number ${i} `.repeat(3), i + 1]));
    const p = progressRecord('g', 't', 5, { events: 1, deadLettered: 20_100, reasons });
    expect(p.metadata.length).toBeLessThan(4096);
    const back = parseProgress('5', p.metadata)!;
    expect(back.counts.deadLettered).toBe(20_100);
    expect(Object.values(back.counts.reasons!)[0]).toBe(200);
  });

  it("retry a fresh broker's retriable 'not the coordinator' answer, and give up at once on any other", async () => {
    const notCoordinator = Object.assign(new Error('This is not the correct coordinator for this group'), {
      retriable: true,
    });
    let calls = 0;
    const flaky = {
      fetchOffsets: async () => {
        calls += 1;
        if (calls < 3) throw notCoordinator;
        return [{ topic: 't', partitions: [{ partition: 0, offset: '7', metadata: '{"events":7}' }] }];
      },
    } as unknown as Admin;
    await expect(readProgress(flaky, 'g', 't')).resolves.toMatchObject({ records: 7, counts: { events: 7 } });
    expect(calls).toBe(3);

    const denied = Object.assign(new Error('Group authorization failed'), { retriable: false });
    let tries = 0;
    const refusing = {
      fetchOffsets: async () => {
        tries += 1;
        throw denied;
      },
    } as unknown as Admin;
    await expect(readProgress(refusing, 'g', 't')).rejects.toBe(denied);
    expect(tries).toBe(1);
  });
});

describe('Publisher.commit', () => {
  it("retries the progress offsets on a fresh broker's 'not the coordinator', then commits once", async () => {
    const notCoordinator = Object.assign(new Error('This is not the correct coordinator for this group'), {
      retriable: true,
    });
    const calls: string[] = [];
    const transaction = {
      sendOffsets: async () => {
        calls.push('sendOffsets');
        if (calls.length < 3) throw notCoordinator;
      },
      commit: async () => void calls.push('commit'),
      isActive: () => false,
    };
    const producer = {
      connect: async () => undefined,
      transaction: async () => transaction,
      disconnect: async () => undefined,
    };
    const kafka = { producer: () => producer } as unknown as Kafka;
    const publisher = new Publisher(kafka, {
      partitions: { t: 1 },
      compression: 'none',
      gzipLevel: 1,
      batchBytes: 1 << 20,
      transactionalId: 'tx',
      transactionTimeoutMs: 60_000,
    });
    await publisher.connect();
    await publisher.commit([{ group: 'g', topic: 't', offset: 5, metadata: '{}' }]);
    expect(calls).toEqual(['sendOffsets', 'sendOffsets', 'sendOffsets', 'commit']);

    // A transaction spanning days commits each day's progress group before the commit itself.
    calls.length = 0;
    const groups: string[] = [];
    transaction.sendOffsets = async (o?: { consumerGroupId: string }) => {
      calls.push('sendOffsets');
      groups.push(o!.consumerGroupId);
    };
    const days = ['2022-04-01', '2022-04-02', '2022-04-03'];
    await publisher.commit(days.map((d, i) => ({ group: `g.${d}`, topic: 't', offset: 10 + i, metadata: '{}' })));
    expect(calls).toEqual(['sendOffsets', 'sendOffsets', 'sendOffsets', 'commit']);
    expect(groups).toEqual(days.map((d) => `g.${d}`));

    calls.length = 0;
    const denied = Object.assign(new Error('Group authorization failed'), { retriable: false });
    transaction.sendOffsets = async () => {
      calls.push('sendOffsets');
      throw denied;
    };
    await expect(publisher.commit([{ group: 'g', topic: 't', offset: 6, metadata: '{}' }])).rejects.toBe(denied);
    expect(calls).toEqual(['sendOffsets']);
  });
});
