import { batchManifestKey, bronzeKey, objectBody, splitBatch } from '../../src/commands/stream-land/layout';
import { deadLetter } from '../../src/commands/stream-produce/dead-letter';
import { dateRange } from '../../src/dates';
import { ingestDateOf, producedMarkerKey } from '../../src/commands/stream-produce/raw-objects';
import { toEvent } from '../../src/events/to-event';

const fields = (id: string, date: string) => [
  '0',
  id,
  date,
  'Shipped',
  'Amazon',
  'Amazon.in',
  'Expedited',
  'JNE1',
  'JNE1-S',
  'kurta',
  'S',
  'B09K3WFS32',
  'Shipped',
  '1',
  'INR',
  '399.0',
  'PUNE',
  'MAHARASHTRA',
  '411001.0',
  'IN',
  '',
  'False',
  '',
  '',
];
const event = (id: string, date: string, dataset = 'ds') => {
  const c = toEvent(fields(id, date), 2, dataset, 's3://b/raw/x.csv');
  if (!c.ok) throw new Error('fixture');
  return Buffer.from(JSON.stringify(c.event));
};

describe('stream-produce helpers', () => {
  it('lists every day of a range, month ends included', () => {
    expect(dateRange('2022-03-30', '2022-04-02')).toEqual(['2022-03-30', '2022-03-31', '2022-04-01', '2022-04-02']);
    expect(dateRange('2022-04-30', '2022-04-30')).toEqual(['2022-04-30']);
  });

  it('reads the ingest date from a raw key', () => {
    expect(ingestDateOf('s3://b/raw/amazon_sale_report/dataset=x/ingest_date=2022-04-30/a.csv')).toBe('2022-04-30');
    expect(ingestDateOf('s3://b/elsewhere/a.csv')).toBeUndefined();
  });

  it('keys markers by dataset, day and content', () => {
    expect(producedMarkerKey('kaggle-sample', '2022-04-30', 'abc')).toBe(
      'runs/stream-produce/produced/dataset=kaggle-sample/dt=2022-04-30/abc.json',
    );
  });

  it('cuts a huge raw line in a dead letter but keeps its checksum and position', () => {
    const raw = 'x'.repeat(1024 * 1024);
    const m = deadLetter(
      {
        reason: 'field_too_large',
        column: 'promotion-ids',
        detail: '1 MB',
        problems: [{ reason: 'field_too_large', column: 'promotion-ids', detail: '1 MB' }],
      },
      raw,
      7,
      's3://b/k',
      'ds',
      'r',
    );
    const v = JSON.parse(String(m.value));
    expect(v.raw_line).toHaveLength(8192);
    expect(v.raw_truncated).toBe(true);
    expect(v.raw_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.source).toEqual({ uri: 's3://b/k', row: 7 });
    expect(String(m.key)).toBe('s3://b/k#7');
    expect(Buffer.byteLength(String(m.value))).toBeLessThan(10_000);
  });
});

const lines = (o: Parameters<typeof objectBody>[0]) => objectBody(o).toString('utf8').trimEnd().split('\n');

describe('stream-land layout', () => {
  it('writes a bronze line byte for byte as JSON.stringify of the event plus its Kafka position', () => {
    const value = event('a', '04-30-22');
    const split = splitBatch('sales.order_lines.v1', 1, [{ offset: '7', value }]);
    const [object] = [...split.objects.values()];
    const expected = JSON.stringify({
      ...JSON.parse(value.toString()),
      kafka: { topic: 'sales.order_lines.v1', partition: 1, offset: '7' },
    });
    expect(objectBody(object!).toString()).toBe(`${expected}\n`);
  });

  it('drops keys the schema does not know, as zod does, when a producer adds some', () => {
    const extra = JSON.stringify({ ...JSON.parse(event('a', '04-30-22').toString()), note: 'x' });
    const split = splitBatch('t', 0, [{ offset: '1', value: Buffer.from(extra) }]);
    const [line] = lines([...split.objects.values()][0]!);
    expect(JSON.parse(line!)).not.toHaveProperty('note');
    expect(JSON.parse(line!).line.order_id).toBe('a');
  });

  it('splits a batch into one object per dataset and order date, named by the first offset', () => {
    const split = splitBatch('sales.order_lines.v1', 2, [
      { offset: '40', value: event('a', '04-29-22') },
      { offset: '41', value: event('b', '04-30-22') },
      { offset: '42', value: event('c', '04-30-22', 'other') },
      { offset: '43', value: event('d', '04-29-22') },
    ]);
    expect([...split.objects.keys()].sort()).toEqual([
      bronzeKey('ds', '2022-04-29', 'sales.order_lines.v1', 2, '40'),
      bronzeKey('ds', '2022-04-30', 'sales.order_lines.v1', 2, '40'),
      bronzeKey('other', '2022-04-30', 'sales.order_lines.v1', 2, '40'),
    ]);
    const day29 = split.objects.get(bronzeKey('ds', '2022-04-29', 'sales.order_lines.v1', 2, '40'))!;
    expect(lines(day29).map((l) => JSON.parse(l).kafka.offset)).toEqual(['40', '43']);
    expect(day29.lines).toBe(2);
    expect(Object.fromEntries(split.perDate)).toEqual({
      'ds/2022-04-29': 2,
      'ds/2022-04-30': 1,
      'other/2022-04-30': 1,
    });
    expect(split.rejected).toEqual([]);
  });

  it('keeps messages that are not valid events apart, with the reason', () => {
    const split = splitBatch('t', 0, [
      { offset: '5', value: Buffer.from('not json') },
      { offset: '6', value: Buffer.from(JSON.stringify({ schema: 'sales.order_lines.v1' })) },
      { offset: '7', value: event('a', '04-30-22') },
    ]);
    expect(split.rejected.map((r) => JSON.parse(r).offset)).toEqual(['5', '6']);
    expect(JSON.parse(split.rejected[0]!).reason).toBe('not JSON');
    expect(split.objects.size).toBe(1);
  });

  it('pads offsets so keys sort in offset order', () => {
    expect(bronzeKey('ds', '2022-04-30', 't', 0, '9') < bronzeKey('ds', '2022-04-30', 't', 0, '10')).toBe(true);
    expect(batchManifestKey('t', 1, '10')).toBe('lake/bronze/order_lines/_batches/t/1/00000000000000000010.json');
  });
});
