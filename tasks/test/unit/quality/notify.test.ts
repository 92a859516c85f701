import { loadSuite } from '../../../src/quality/suite';
import { validate } from '../../../src/quality/engine';
import { memoryReader } from '../../../src/quality/readers/memory';
import { mailText, summarise } from '../../../src/quality/notify';
import { digestText, MAX_ATTACHED_REPORTS, sendGateDigest } from '../../../src/quality/digest';

const facts = {
  suite: 's',
  stage: 'bronze',
  dataset: 'd',
  dt: '2022-04-30',
  reportUri: 'r',
  resultUri: 'x',
  quarantineUri: null,
};

describe('the gate mail', () => {
  it('lists each failed expectation with observed vs expected, the unexpected count and a few example values', async () => {
    const bronze = loadSuite('bronze_order_lines');
    const suite = { ...bronze, expectations: bronze.expectations.filter((e) => e.kwargs.column === 'line.b2b') };
    const rows = ['True', 'yes', 'no', 'yes', 'x'.repeat(100)].map((v) => ({ 'line.b2b': v }));
    const v = await validate(suite, memoryReader(rows));
    const summary = summarise(v.result, { ...facts, rows: v.rows, failingRows: v.failingRows });
    const text = mailText(summary);
    expect(text).toMatch(/expect_column_values_to_match_regex \(line\.b2b\): 4 unexpected rows; expected .*\[Tt\]/);
    expect(text).toContain(`e.g. "yes", "no", "${'x'.repeat(32)}…"`);
  });

  it('says why an empty partition is empty, instead of reading like schema drift', () => {
    const v = { success: false, results: [], statistics: {} } as unknown as Parameters<typeof summarise>[0];
    const why = 'stream-produce dead-lettered all 3 rows dated 2022-04-30 (bad_date 3)';
    const text = mailText(summarise(v, { ...facts, rows: 0, failingRows: 0, emptyBecause: why }));
    expect(text).toContain(`The partition has no rows: ${why}`);
  });
});

describe('the gate digest (one mail per gate run)', () => {
  const failing = (dt: string, unexpected: number) => ({
    summary: {
      ...facts,
      dt,
      reportUri: `s3://b/reports/${dt}/report.html`,
      success: false,
      rows: 10,
      failingRows: unexpected,
      failed: [
        {
          index: 2,
          type: 'expect_column_values_to_be_between',
          columns: 'amount',
          severity: 'critical',
          unexpected,
          observed: null,
          expected: 'between 0 and 1000000',
          examples: ['-5', '-7'],
        },
      ],
    },
    html: `<p>${dt}</p>`,
  });

  it('sends one mail for a range with two failed dates, listing each date with its expectations and examples', async () => {
    const sent: { subject: string; text: string; attachments: { filename: string }[] }[] = [];
    const mailer = { sendMail: async (m: unknown) => sent.push(m as (typeof sent)[number]) };
    const subject = await sendGateDigest(
      mailer as never,
      'from@x',
      ['to@x'],
      [failing('2022-04-01', 3), failing('2022-04-03', 4)],
      3,
    );
    expect(sent).toHaveLength(1);
    expect(subject).toBe(
      '[sales-pipeline] quality gate s FAILED: bronze d 2 dates 2022-04-01..2022-04-03 (2 critical expectations)',
    );
    const { text, attachments } = sent[0]!;
    expect(text).toContain('FAILED for 2 of 3 dates at stage bronze for dataset d: 2022-04-01, 2022-04-03.');
    expect(text).toContain('=== 2022-04-01 ===\nQuality gate s FAILED at stage bronze for dataset d, date 2022-04-01.');
    expect(text).toContain(
      '#2 [critical] expect_column_values_to_be_between (amount): 4 unexpected rows; expected between 0 and 1000000; e.g. -5, -7',
    );
    expect(text).toContain('Report: s3://b/reports/2022-04-03/report.html');
    expect(attachments.map((a) => a.filename)).toEqual(['report-2022-04-01.html', 'report-2022-04-03.html']);
  });

  it('keeps the single-date mail as it was: its text and one report.html', async () => {
    const f = failing('2022-04-30', 3);
    expect(digestText([f], 1)).toBe(mailText(f.summary));
    const sent: { attachments: { filename: string }[] }[] = [];
    await sendGateDigest({ sendMail: async (m: unknown) => sent.push(m as never) } as never, 'f', ['t'], [f], 1);
    expect(sent[0]!.attachments.map((a) => a.filename)).toEqual(['report.html']);
  });

  it('attaches at most a bounded number of reports and links the rest', () => {
    const many = Array.from({ length: MAX_ATTACHED_REPORTS + 2 }, (_, i) =>
      failing(`2022-05-${String(i + 1).padStart(2, '0')}`, 1),
    );
    const text = digestText(many, many.length);
    expect(text).toContain(`The reports of the first ${MAX_ATTACHED_REPORTS} failed dates are attached`);
    expect(text).toContain(`Report: s3://b/reports/2022-05-12/report.html`);
  });
});
