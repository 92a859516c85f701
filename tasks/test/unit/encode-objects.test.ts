import { readFileSync } from 'node:fs';
import { BatchCutter } from '../../src/commands/stream-produce/cutter';
import {
  encodeObjects,
  type EncodeJob,
  type FromEncoder,
  type PairState,
} from '../../src/commands/stream-produce/encode';
import { markers } from '../../src/kafka/batch-builder';
import { Codec, encodeRecordBatch } from '../../src/kafka/record-batch';
import { decodeRecordBatch } from '../../src/kafka/record-batch-decode';
import { parseSourceDate } from '../../src/events/to-event';
import { sampleSourceFile } from '../../src/paths';
import { RecordSplitter, splitFields } from '../../src/source/records';

const rows: string[] = [];
const splitter = new RecordSplitter();
splitter.push(readFileSync(sampleSourceFile), (r) => rows.push(r.text));
splitter.end((r) => rows.push(r.text));
const [header, ...data] = rows;
const dayOf = (text: string) => parseSourceDate(splitFields(text)[2] ?? '');
const days = [...new Set(data.map(dayOf))].filter((d): d is string => d !== null).sort();
const [D1, D2, D3] = days as [string, string, string];

/** `n` rows of each of three days, interleaved, a bad Qty on D2 and an undated row. */
function objectText(offset: number, n: number): { text: string; expected: Map<number, string | null> } {
  const of = (d: string) => data.filter((r) => dayOf(r) === d).slice(offset, offset + n);
  const [a, b, c] = [of(D1), of(D2), of(D3)];
  const body: string[] = [];
  for (let i = 0; i < n; i++) body.push(a[i]!, b[i]!, c[i]!);
  const bad = splitFields(b[0]!);
  bad[13] = 'x'; // Qty
  body.splice(100, 0, bad.join(','));
  const undated = splitFields(a[0]!);
  undated[2] = '13-45-22';
  body.splice(50, 0, undated.join(','));
  const expected = new Map(body.map((r, i) => [i + 2, dayOf(r)] as [number, string | null]));
  return { text: [header, ...body].join('\n'), expected };
}

const conversion = { topic: 'events', dlqTopic: 'dlq', dataset: 'amazon', runId: 'r1' };

/** Runs the encoder in-process; the fake main thread acknowledges each cut a little later. */
async function run(skip: [string, number][]) {
  const objects = [objectText(0, 60), objectText(60, 57)];
  const job: EncodeJob = {
    conversion,
    partitions: { events: 3, dlq: 1 },
    batchBytes: 4096,
    objects: [
      { uri: 's3://raw/a.csv', owed: [D1, D2], undatedDay: D1 },
      { uri: 's3://raw/b.csv', owed: [D2, D3], undatedDay: undefined },
    ],
    skip,
    cutsAhead: 2,
  };
  async function* chunks(i: number) {
    const bytes = Buffer.from(objects[i]!.text);
    for (let at = 0; at < bytes.length; at += 500) yield bytes.subarray(at, at + 500);
  }
  const posted: FromEncoder[] = [];
  let cutter: BatchCutter | undefined;
  let unacknowledged = 0;
  let mostAhead = 0;
  const post = (m: FromEncoder) => {
    posted.push(m);
    if (m.type !== 'cut') return;
    mostAhead = Math.max(mostAhead, ++unacknowledged);
    setImmediate(() => {
      unacknowledged--;
      cutter!.sent();
    });
  };
  await encodeObjects(job, chunks, post, (handOver) => (cutter = new BatchCutter(job, handOver)));
  return { job, objects, posted, mostAhead };
}

/** Each cut's records as (topic, uri, row). */
async function decodeCut(cut: Extract<FromEncoder, { type: 'cut' }>) {
  const out: { topic: string; uri: string; row: number }[] = [];
  for (const b of cut.batches) {
    const messages = markers(b.records, b.count, b.partition);
    const options = { producerId: -1, producerEpoch: 0, firstSequence: 0, transactional: false };
    const batch = (await encodeRecordBatch({ ...options, messages, compression: Codec.None }))!;
    const decoded = (await decodeRecordBatch(batch, 0))!;
    expect(decoded.records).toHaveLength(b.count);
    for (const r of decoded.records) {
      const h = r.headers as Record<string, Buffer>;
      out.push({ topic: b.topic, uri: h['source-uri']!.toString(), row: Number(h['source-row']!.toString()) });
    }
  }
  return out;
}

async function check(skip: [string, number][]) {
  const { job, objects, posted, mostAhead } = await run(skip);
  const cuts = posted.filter((m): m is Extract<FromEncoder, { type: 'cut' }> => m.type === 'cut');
  expect(cuts.length).toBeGreaterThan(10);
  expect(mostAhead).toBeLessThanOrEqual(job.cutsAhead);
  const skipOf = new Map(skip);
  // Records expected to be sent: owed days, after each pair's skipped first records.
  const want: string[] = [];
  const dayOfRow = new Map<string, string>();
  job.objects.forEach((o, i) => {
    const seen = new Map<string, number>();
    for (const [row, date] of objects[i]!.expected) {
      const day = date ?? o.undatedDay;
      if (day === undefined || !o.owed.includes(day)) continue;
      const n = (seen.get(day) ?? 0) + 1;
      seen.set(day, n);
      dayOfRow.set(`${o.uri}#${row}`, day);
      if (n > (skipOf.get(`${day} ${o.uri}`) ?? 0)) want.push(`${o.uri}#${row}`);
    }
  });
  const sent: string[] = [];
  const dlq: string[] = [];
  const sentPerPair = new Map<string, number>();
  const last = new Map<string, PairState>();
  for (const cut of cuts) {
    for (const r of await decodeCut(cut)) {
      const id = `${r.uri}#${r.row}`;
      sent.push(id);
      if (r.topic === 'dlq') dlq.push(id);
      const key = `${dayOfRow.get(id)} ${r.uri}`;
      sentPerPair.set(key, (sentPerPair.get(key) ?? 0) + 1);
    }
    for (const p of cut.pairs) last.set(`${p.day} ${p.uri}`, p);
    // A commit after this cut records exactly what the cuts so far carried.
    for (const [key, p] of last) {
      const n = sentPerPair.get(key) ?? 0;
      expect([key, p.counts.events + p.counts.deadLettered]).toEqual([key, n]);
      expect([key, p.read]).toEqual([key, n + (skipOf.get(key) ?? 0)]);
    }
  }
  expect([...sent].sort()).toEqual([...want].sort()); // each owed record once, nothing else
  expect(dlq.sort()).toEqual(['s3://raw/a.csv#52', 's3://raw/a.csv#103', 's3://raw/b.csv#103'].sort());
  expect(last.get(`${D1} s3://raw/a.csv`)!.counts.reasons).toEqual({ bad_date: 1 });
  expect(last.get(`${D2} s3://raw/b.csv`)!.counts.reasons).toEqual({ bad_number: 1 });
  // After the cuts: one `object` message per object with what its router saw, then `done`.
  const rest = posted.filter((m) => m.type !== 'cut');
  expect(rest).toEqual([
    { type: 'object', uri: 's3://raw/a.csv', routed: { records: 182, undated: 1, firstDay: D1, lastDay: D3 } },
    { type: 'object', uri: 's3://raw/b.csv', routed: { records: 173, undated: 1, firstDay: D1, lastDay: D3 } },
    { type: 'done' },
  ]);
  expect(posted[posted.length - 1]).toEqual({ type: 'done' });
  return { last };
}

describe('encodeObjects and BatchCutter', () => {
  it('sends every owed record once, dead letters to the DLQ, and each cut carries the pairs it moved', async () => {
    await check([]);
  });

  it('skips the records of a pair that earlier runs committed, still counting them as read', async () => {
    const { last } = await check([[`${D2} s3://raw/a.csv`, 25]]);
    expect(last.get(`${D2} s3://raw/a.csv`)!.read).toBe(61);
  });
});
