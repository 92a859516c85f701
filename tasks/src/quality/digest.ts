import type { Transporter } from 'nodemailer';
import { mailText, type GateSummary } from './notify';

/** A failed date of a gate run: its summary and the HTML report to attach. */
export interface GateFailure {
  summary: GateSummary;
  html: string;
}

/**
 * How many reports one digest attaches: a 91-day backfill that fails every day still sends one
 * readable mail; the reports past this many are named by URI in the body.
 */
export const MAX_ATTACHED_REPORTS = 10;

/** The subject of a gate run's digest: the suite, stage, dataset, the failed dates, the critical count. */
export function digestSubject(failures: GateFailure[]): string {
  const first = failures[0]!.summary;
  const critical = failures.reduce((n, f) => n + f.summary.failed.filter((e) => e.severity === 'critical').length, 0);
  const last = failures[failures.length - 1]!.summary;
  const dates = failures.length === 1 ? first.dt : `${failures.length} dates ${first.dt}..${last.dt}`;
  return (
    `[sales-pipeline] quality gate ${first.suite} FAILED: ${first.stage} ${first.dataset} ${dates} ` +
    `(${critical} critical expectation${critical === 1 ? '' : 's'})`
  );
}

/**
 * Plain-text digest of one gate run (pure): which dates of how many failed, then each failed date's
 * section (observed vs expected, unexpected count, example values). One date reads as before.
 */
export function digestText(failures: GateFailure[], checkedDates: number): string {
  if (failures.length === 1 && checkedDates === 1) return mailText(failures[0]!.summary);
  const first = failures[0]!.summary;
  const head = [
    `Quality gate ${first.suite} FAILED for ${failures.length} of ${checkedDates} dates ` +
      `at stage ${first.stage} for dataset ${first.dataset}: ${failures.map((f) => f.summary.dt).join(', ')}.`,
    failures.length > MAX_ATTACHED_REPORTS
      ? `The reports of the first ${MAX_ATTACHED_REPORTS} failed dates are attached; the others are linked below.`
      : 'The report of each failed date is attached.',
    '',
  ];
  const sections = failures.map((f) => `=== ${f.summary.dt} ===\n${mailText(f.summary)}`);
  return `${head.join('\n')}\n${sections.join('\n')}`;
}

/**
 * Sends ONE mail for a gate run, however many of its dates failed (the range gate used to send one
 * per date). Attaches `report.html` for a single date, `report-<dt>.html` per date otherwise.
 * @returns the subject sent
 */
export async function sendGateDigest(
  mailer: Pick<Transporter, 'sendMail'>,
  from: string,
  to: string[],
  failures: GateFailure[],
  checkedDates: number,
): Promise<string> {
  if (!failures.length) throw new Error('sendGateDigest: no failed date to report');
  const subject = digestSubject(failures);
  const single = failures.length === 1;
  await mailer.sendMail({
    from,
    to,
    subject,
    text: digestText(failures, checkedDates),
    attachments: failures.slice(0, MAX_ATTACHED_REPORTS).map((f) => ({
      filename: single ? 'report.html' : `report-${f.summary.dt}.html`,
      content: f.html,
      contentDisposition: 'attachment' as const,
    })),
  });
  return subject;
}
