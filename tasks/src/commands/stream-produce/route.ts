import path from 'node:path';
import { InputRejectedError } from '../../errors';
import { parseSourceDate } from '../../events/to-event';
import { checkHeader, describeHeaderProblems } from '../../source/columns';
import { RecordSplitter, RecordTooLongError, splitFields, type RecordText } from '../../source/records';
import { SpillWriter } from './spill';

/** Which days one raw object is read for, and which day takes its rows whose date cannot be read. */
export interface RoutePlan {
  days: ReadonlySet<string>;
  /** The day whose run dead-letters undated rows (the object's ingest date, when in the range). */
  undatedDay: string | undefined;
}

export interface Routed {
  /** One closed spill file per day that received records. */
  spills: Map<string, SpillWriter>;
  /** Data records read (the header excluded). */
  records: number;
  /** The first and last readable order date of the object (every day, not only the plan's). */
  firstDay?: string | undefined;
  lastDay?: string | undefined;
  /** Records whose date cannot be read. */
  undated: number;
}

/**
 * The Date field (the third) of a record. Records without a quote before it, nearly all of them,
 * are cut at the commas without splitting the whole line.
 */
export function dateField(text: string): string {
  const first = text.indexOf(',');
  const second = first < 0 ? -1 : text.indexOf(',', first + 1);
  const third = second < 0 ? -1 : text.indexOf(',', second + 1);
  const quote = text.indexOf('"');
  if (second >= 0 && (quote < 0 || quote > (third < 0 ? text.length : third))) {
    return text.slice(second + 1, third < 0 ? text.length : third);
  }
  return splitFields(text)[2] ?? '';
}

/**
 * The routing pass: reads a raw object once, checks its header, and appends every record whose
 * order date is one of the plan's days (or that has no readable date, for the undated day) to that
 * day's spill file in `dir`. Other days' records are skipped after reading their date.
 * @throws InputRejectedError for an empty object, a wrong header or a record that never ends.
 */
export async function routeObject(
  body: AsyncIterable<Buffer>,
  uri: string,
  plan: RoutePlan,
  dir: string,
  onChunk: (records: number) => void,
): Promise<Routed> {
  const spills = new Map<string, SpillWriter>();
  const splitter = new RecordSplitter();
  let records = 0;
  let undated = 0;
  let firstDay: string | undefined;
  let lastDay: string | undefined;
  let pending: RecordText[] = [];
  const collect = (r: RecordText) => pending.push(r);
  const route = async () => {
    for (const { row, text } of pending) {
      if (row === 1) {
        const header = checkHeader(splitFields(text.replace(/^\uFEFF/, '')));
        if (!header.ok) {
          throw new InputRejectedError(`${uri}: ${describeHeaderProblems(header)}`, { details: { uri, row } });
        }
        continue;
      }
      records++;
      const date = parseSourceDate(dateField(text));
      if (date === null) undated++;
      else {
        if (firstDay === undefined || date < firstDay) firstDay = date;
        if (lastDay === undefined || date > lastDay) lastDay = date;
      }
      const day = date ?? plan.undatedDay;
      if (day === undefined || !plan.days.has(day)) continue;
      let spill = spills.get(day);
      if (!spill) {
        spill = new SpillWriter(path.join(dir, `${spills.size}-${day}.spill`));
        spills.set(day, spill);
      }
      await spill.append(row, text);
    }
    pending = [];
  };
  try {
    for await (const chunk of body) {
      splitter.push(chunk, collect);
      await route();
      onChunk(records);
    }
    splitter.end(collect);
    await route();
  } catch (error) {
    await Promise.all([...spills.values()].map((s) => s.close().catch(() => undefined)));
    if (error instanceof RecordTooLongError) {
      throw new InputRejectedError(`${uri}: ${error.message}`, { details: { uri, row: error.row } });
    }
    throw error;
  }
  if (splitter.records === 0) throw new InputRejectedError(`${uri}: the object is empty (no header)`);
  await Promise.all([...spills.values()].map((s) => s.close()));
  return { spills, records, firstDay, lastDay, undated };
}
