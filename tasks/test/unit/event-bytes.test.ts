import { readFileSync } from 'node:fs';
import { EventEncoder } from '../../src/events/event-bytes';
import { toEvent } from '../../src/events/to-event';
import { BATCH_HEADER_BYTES, RecordBatchBuilder } from '../../src/kafka/batch-builder';
import { sampleSourceFile } from '../../src/paths';
import { RecordSplitter, splitFields } from '../../src/source/records';
import { prng } from './prng';

const URI = 's3://sales-pipeline/raw/amazon_sale_report/dataset=kaggle-sample/ingest_date=2022-04-30/a "b".csv';
const RUN = 'stream-produce__2022-04-30__20260101T000000Z__abcdef';

/** The sample's data records as text, in order, with their record numbers. */
const sample: { row: number; text: string }[] = [];
new RecordSplitter().push(readFileSync(sampleSourceFile), (r) => void (r.row > 1 && sample.push(r)));

/** What the full path publishes for a record: its event's JSON, or null when it is not one. */
function fullPath(text: string, row: number): string | null {
  const c = toEvent(splitFields(text), row, 'kaggle-sample', URI);
  return c.ok ? JSON.stringify(c.event) : null;
}

/** The contract: the encoder declines (-1) or writes exactly the full path's event bytes, key and headers. */
function agrees(encoder: EventEncoder, text: string, row: number): 'fast' | 'declined' {
  const bytes = Buffer.from(`xx${text}yy`);
  const length = encoder.encode(bytes, 2, bytes.length - 2, row);
  if (length < 0) return 'declined';
  const full = fullPath(text, row);
  if (full === null) throw new Error(`encoded a record the full path rejects: ${text}`);
  if (encoder.bytes.toString('utf8', 0, length) !== full) {
    throw new Error(`different bytes for ${text}:\n${encoder.bytes.toString('utf8', 0, length)}\n${full}`);
  }
  const key = bytes.toString('utf8', encoder.keyStart, encoder.keyEnd);
  if (key !== splitFields(text)[1]) throw new Error(`key ${key} for ${text}`);
  return 'fast';
}

describe('EventEncoder', () => {
  it('writes every real sample row as the exact bytes of JSON.stringify(toEvent(…)), with its key', () => {
    const encoder = new EventEncoder('kaggle-sample', URI, RUN);
    let fast = 0;
    for (const { row, text } of sample) if (agrees(encoder, text, row) === 'fast') fast++;
    // Quoted fields without `""` (promotion lists, cities with commas) stay on the fast path.
    expect(sample.some((r) => r.text.includes('"'))).toBe(true);
    expect(fast).toBeGreaterThan(sample.length * 0.99);
  });

  it('declines what needs escaping or a rejection, and agrees on edge values', () => {
    const encoder = new EventEncoder('kaggle-sample', URI, RUN);
    const base = splitFields(sample[0]!.text);
    const withField = (i: number, v: string) => base.map((f, j) => (j === i ? v : f)).join(',');
    const declined = [
      withField(16, '"A ""quoted"" city"'), // `""` to unescape
      withField(16, 'back\\slash'),
      withField(16, 'tab\there'),
      withField(16, 'a"b'), // a literal quote in an unquoted field
      withField(16, 'bad \uFFFD byte'),
      withField(2, '02-30-22'), // not a calendar day
      withField(2, ''),
      withField(1, ''),
      withField(13, '1.5'),
      withField(15, '1e3'),
      withField(15, '.5'),
      withField(15, '5.'),
      base.slice(0, 23).join(','),
      [...base, 'extra'].join(','),
      withField(16, `"unterminated`),
      withField(16, '"a"b'),
    ];
    for (const text of declined) expect([text, agrees(encoder, text, 7)]).toEqual([text, 'declined']);
    const fast = [
      withField(13, '007'), // Number('007') is 7
      withField(13, '123456789012345678'), // past 2^53: Number's own digits
      withField(13, ''),
      withField(15, '-12.50'),
      withField(16, 'Bengaluru ಬೆಂಗಳೂರು 😀'),
      withField(16, '"quoted, with comma"'),
      withField(23, ''), // a trailing empty field
      withField(0, ''),
    ];
    for (const text of fast) expect([text, agrees(encoder, text, 4_294_967_295)]).toEqual([text, 'fast']);
  });

  it('never writes bytes that differ from the full path (random byte edits of sample rows)', () => {
    const encoder = new EventEncoder('kaggle-sample', URI, RUN);
    const random = prng(11);
    const alphabet = [...'",\\\n\r0123456789.-aZ é\uFFFD'];
    const seen = { fast: 0, declined: 0 };
    for (let n = 0; n < 30_000; n++) {
      const { row, text } = sample[Math.floor(random() * sample.length)]!;
      const at = Math.floor(random() * text.length);
      const c = alphabet[Math.floor(random() * alphabet.length)]!;
      const edits = [
        text.slice(0, at) + c + text.slice(at),
        text.slice(0, at) + c + text.slice(at + 1),
        text.slice(0, at) + text.slice(at + 1),
      ];
      for (const edited of edits) seen[agrees(encoder, edited, row)]++;
    }
    expect(seen.fast).toBeGreaterThan(1000);
    expect(seen.declined).toBeGreaterThan(1000);
  });

  it('gives the record batch builder the same record bytes as the message the full path sends', () => {
    const encoder = new EventEncoder('kaggle-sample', URI, RUN);
    const viaBytes = new RecordBatchBuilder();
    const viaMessage = new RecordBatchBuilder();
    for (const { row, text } of sample.slice(0, 300)) {
      const bytes = Buffer.from(text);
      const length = encoder.encode(bytes, 0, bytes.length, row);
      if (length < 0) continue;
      viaBytes.appendEncoded(encoder);
      const c = toEvent(splitFields(text), row, 'kaggle-sample', URI);
      if (!c.ok) throw new Error('not an event');
      const headers = { 'source-uri': URI, 'source-row': String(row), 'run-id': RUN };
      viaMessage.append({ key: Buffer.from(c.event.line.order_id), value: JSON.stringify(c.event), headers });
    }
    expect(viaBytes.count).toBeGreaterThan(290);
    const [a] = viaBytes.take(0);
    const [b] = viaMessage.take(0);
    const batch = (m: unknown) =>
      Object.getOwnPropertySymbols(m).map((s) => (m as Record<symbol, { batch: Buffer }>)[s]!.batch)[0]!;
    expect(batch(a).subarray(BATCH_HEADER_BYTES).equals(batch(b).subarray(BATCH_HEADER_BYTES))).toBe(true);
  });
});
