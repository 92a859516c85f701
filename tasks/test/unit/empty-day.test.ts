import { checkTransform, dayProblem } from '../../src/commands/glue-transform/checks';
import type { Manifest } from '../../src/commands/glue-transform/manifest';
import { InputRejectedError } from '../../src/errors';
import { whyEmpty } from '../../src/events/empty-day';
import { memoryS3 } from './memory-s3';

const D = 'ds';
const marker = (day: string, body: object) => ({
  [`runs/stream-produce/produced/dataset=${D}/dt=${day}/abc.json`]: JSON.stringify(body),
});
const manifest = (dt: string, over: Partial<Manifest> = {}): Manifest =>
  ({
    dataset: D,
    dt,
    run_id: 'r',
    bronze_rows: 100,
    redelivered_rows: 0,
    duplicate_rows: 0,
    quarantined_rows: 0,
    silver_rows: 100,
    quarantine_rules: {},
    ...over,
  }) as Manifest;

describe('why a day is empty', () => {
  it('names the dead letters and their reasons when every row of the day was dead-lettered', async () => {
    const s3 = memoryS3(marker('2022-04-28', { events: 0, deadLettered: 3, reasons: { bad_date: 2, bad_number: 1 } }));
    const why = await whyEmpty(s3, 'b', D, '2022-04-28', 'bronze');
    expect(why).toMatch(/^stream-produce dead-lettered all 3 rows dated 2022-04-28 \(bad_date 2, bad_number 1\)/);
    expect(why).not.toMatch(/glue-transform/); // never advises a step that cannot help
  });

  it('says no row is dated that day when stream-produce left no marker', async () => {
    expect(await whyEmpty(memoryS3(), 'b', D, '2022-04-28', 'bronze')).toMatch(/no source row is dated 2022-04-28/);
  });

  it('points at stream-land when events were published but never landed', async () => {
    const s3 = memoryS3(marker('2022-04-28', { events: 9, deadLettered: 1 }));
    expect(await whyEmpty(s3, 'b', D, '2022-04-28', 'bronze')).toMatch(/published 9 events .* run stream-land/);
  });

  it('for silver: names the quarantine counts and rules, or the missing transform when bronze exists', async () => {
    const silver = `lake/silver/order_lines/dataset=${D}/dt=2022-04-28/_manifest.json`;
    const m = {
      bronze_rows: 5,
      silver_rows: 0,
      quarantined_rows: 4,
      duplicate_rows: 1,
      quarantine_rules: { status_bucket: 4 },
    };
    const quarantined = await whyEmpty(memoryS3({ [silver]: JSON.stringify(m) }), 'b', D, '2022-04-28', 'silver');
    expect(quarantined).toMatch(
      /glue-transform quarantined 4 of 5 bronze rows \(status_bucket 4\) and dropped 1 duplicates/,
    );
    expect(quarantined).not.toMatch(/run glue-transform/);
    const bronze = { [`lake/bronze/order_lines/dataset=${D}/dt=2022-04-28/x.ndjson`]: '{}' };
    expect(await whyEmpty(memoryS3(bronze), 'b', D, '2022-04-28', 'silver')).toMatch(
      /run glue-transform --dt 2022-04-28/,
    );
  });
});

describe('glue-transform output checks', () => {
  it('accepts a day under the quarantine limit and refuses one over it or without silver', () => {
    expect(dayProblem(manifest('2022-04-28', { quarantined_rows: 5, silver_rows: 95 }), 0.05)).toBeUndefined();
    expect(dayProblem(manifest('2022-04-28', { quarantined_rows: 6, silver_rows: 94 }), 0.05)).toMatch(
      /2022-04-28: 6\.0% quarantined: glue-transform quarantined 6 of 100/,
    );
    expect(dayProblem(manifest('2022-04-28', { quarantined_rows: 0, silver_rows: 0, duplicate_rows: 100 }), 1)).toMatch(
      /no silver row/,
    );
  });

  it('names every date of a range in one error: one without bronze, one all quarantined', async () => {
    const s3 = memoryS3(marker('2022-04-28', { events: 0, deadLettered: 2, reasons: { bad_date: 2 } }));
    const written = new Map([
      [
        '2022-04-29',
        manifest('2022-04-29', { silver_rows: 0, quarantined_rows: 100, quarantine_rules: { status_bucket: 100 } }),
      ],
      ['2022-04-30', manifest('2022-04-30')],
    ]);
    const days = ['2022-04-28', '2022-04-29', '2022-04-30'];
    const error = await checkTransform(s3, 'b', D, days, written, 0.05).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejectedError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /2022-04-28: no bronze: stream-produce dead-lettered all 2 rows dated 2022-04-28 \(bad_date 2\)/,
    );
    expect(message).toMatch(
      /2022-04-29: no silver row: glue-transform quarantined 100 of 100 bronze rows \(status_bucket 100\)/,
    );
    expect(message).not.toMatch(/2022-04-30/);
    await expect(checkTransform(s3, 'b', D, ['2022-04-30'], written, 0.05)).resolves.toBeUndefined();
  });
});
