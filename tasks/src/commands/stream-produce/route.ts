import path from 'node:path';
import { InputRejectedError } from '../../errors';
import { sameBytes } from '../../events/event-bytes';
import { parseSourceDate } from '../../events/to-event';
import { checkHeader, describeHeaderProblems } from '../../source/columns';
import {
  ByteRecordSplitter,
  RecordTooLongError,
  recordText,
  splitFields,
  type RecordBytes,
} from '../../source/records';
import { SpillWriter } from './spill';

/** Which days one raw object is read for, and which day takes its rows whose date cannot be read. */
export interface RoutePlan {
  days: ReadonlySet<string>;
  /** The day whose run dead-letters undated rows (the object's ingest date, when in the range). */
  undatedDay: string | undefined;
}

/** What reading a raw object saw (every record, not only the plan's days). */
export interface Routed {
  /** Data records read (the header excluded). */
  records: number;
  /** The first and last readable order date of the object. */
  firstDay?: string | undefined;
  lastDay?: string | undefined;
  /** Records whose date cannot be read. */
  undated: number;
}

/** A routed object whose wanted days were spilled to local files (paced replays). */
export interface Spilled extends Routed {
  /** One closed spill file per day that received records. */
  spills: Map<string, SpillWriter>;
}

const COMMA = 0x2c;
const QUOTE = 0x22;

/**
 * Picks each record's day from its Date field (the third), read from the record's bytes: records
 * without a quote before it, nearly all of them, are neither decoded nor split. Counts what it saw.
 */
export class DayRouter implements Routed {
  records = 0;
  undated = 0;
  firstDay: string | undefined;
  lastDay: string | undefined;
  /** The last Date field's bytes and its ISO day (a raw file comes mostly day by day). */
  private readonly lastField = Buffer.alloc(8);
  private lastIso: string | null = null;
  private cached = false;
  /** The Date field found by `findDateField`. */
  private fieldStart = 0;
  private fieldEnd = 0;

  constructor(private readonly plan: RoutePlan) {}

  /** The plan's day for record `start..end` of `data`, or undefined when the run does not want it. */
  day(data: Buffer, start: number, end: number): string | undefined {
    this.records++;
    let date: string | null;
    if (!this.findDateField(data, start, end)) {
      date = parseSourceDate(splitFields(data.toString('utf8', start, end))[2] ?? '');
      this.seen(date);
    } else {
      const s = this.fieldStart;
      const e = this.fieldEnd;
      if (e - s === 8 && this.cached && sameBytes(data, s, this.lastField)) date = this.lastIso;
      else {
        date = parseSourceDate(data.toString('utf8', s, e));
        this.seen(date);
        if (e - s === 8) {
          data.copy(this.lastField, 0, s, e);
          this.lastIso = date;
          this.cached = true;
        }
      }
    }
    if (date === null) this.undated++;
    const day = date ?? this.plan.undatedDay;
    return day !== undefined && this.plan.days.has(day) ? day : undefined;
  }

  /** What was seen, as a plain object. */
  summary(): Routed {
    return { records: this.records, undated: this.undated, firstDay: this.firstDay, lastDay: this.lastDay };
  }

  /** Widens the object's date span (a cached date was already counted). */
  private seen(date: string | null): void {
    if (date === null) return;
    if (this.firstDay === undefined || date < this.firstDay) this.firstDay = date;
    if (this.lastDay === undefined || date > this.lastDay) this.lastDay = date;
  }

  /**
   * Finds the Date field (the third) as `fieldStart..fieldEnd`; false when a quote comes before
   * its end (then the record is split in full). A record of fewer fields has an empty one.
   */
  private findDateField(data: Buffer, start: number, end: number): boolean {
    let commas = 0;
    this.fieldStart = this.fieldEnd = end;
    for (let p = start; p < end; p++) {
      const b = data[p];
      if (b === QUOTE) return false;
      if (b !== COMMA) continue;
      if (++commas === 2) this.fieldStart = p + 1;
      else if (commas === 3) {
        this.fieldEnd = p;
        return true;
      }
    }
    if (commas < 2) this.fieldStart = end;
    this.fieldEnd = end;
    return true;
  }
}

/**
 * Each chunk's records of a raw object with the plan's day of each (undefined: not wanted), the
 * header checked. Reads the object once, as bytes.
 * @throws InputRejectedError for an empty object, a wrong header or a record that never ends.
 */
export async function* routeRecords(
  body: AsyncIterable<Buffer | Uint8Array>,
  uri: string,
  router: DayRouter,
): AsyncGenerator<{ records: RecordBytes; days: (string | undefined)[] }> {
  const splitter = new ByteRecordSplitter();
  const route = (records: RecordBytes) => {
    const days = new Array<string | undefined>(records.count);
    for (let i = 0; i < records.count; i++) {
      if (records.rows[i] === 1) {
        const header = checkHeader(splitFields(recordText(records, i).replace(/^\uFEFF/, '')));
        if (!header.ok) {
          throw new InputRejectedError(`${uri}: ${describeHeaderProblems(header)}`, { details: { uri, row: 1 } });
        }
        continue;
      }
      days[i] = router.day(records.data, records.starts[i]!, records.ends[i]!);
    }
    return { records, days };
  };
  try {
    for await (const chunk of body) {
      const records = splitter.push(chunk);
      if (records.count) yield route(records);
    }
    const last = splitter.end();
    if (last.count) yield route(last);
  } catch (error) {
    if (error instanceof RecordTooLongError) {
      throw new InputRejectedError(`${uri}: ${error.message}`, { details: { uri, row: error.row } });
    }
    throw error;
  }
  if (splitter.records === 0) throw new InputRejectedError(`${uri}: the object is empty (no header)`);
}

/**
 * The routing pass of a paced replay: reads a raw object once and appends every record of the
 * plan's days to that day's spill file in `dir`, so the days can then be published in date order.
 */
export async function spillObject(
  body: AsyncIterable<Buffer | Uint8Array>,
  uri: string,
  plan: RoutePlan,
  dir: string,
  onChunk: (records: number) => void,
): Promise<Spilled> {
  const spills = new Map<string, SpillWriter>();
  const router = new DayRouter(plan);
  try {
    for await (const { records, days } of routeRecords(body, uri, router)) {
      for (let i = 0; i < records.count; i++) {
        const day = days[i];
        if (day === undefined) continue;
        let spill = spills.get(day);
        if (!spill) {
          spill = new SpillWriter(path.join(dir, `${spills.size}-${day}.spill`));
          spills.set(day, spill);
        }
        await spill.append(records.rows[i]!, records.data, records.starts[i]!, records.ends[i]!);
      }
      onChunk(router.records);
    }
  } catch (error) {
    await Promise.all([...spills.values()].map((s) => s.close().catch(() => undefined)));
    throw error;
  }
  await Promise.all([...spills.values()].map((s) => s.close()));
  return { spills, ...router.summary() };
}
