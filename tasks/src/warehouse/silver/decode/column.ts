import type { SchemaTree } from 'hyparquet';
import { type ChunkSink, type Leaf, Unsupported } from './pages';

/**
 * One column of one row group as the loader uses it: texts as codes into a table of distinct
 * strings (a dictionary-encoded column's strings are decoded once, not once a row), numbers in a
 * typed array (decimals as exact cents), lists as offsets into their elements' codes.
 */
export type SilverValues =
  | { kind: 'text'; dict: string[]; codes: Int32Array /* -1: null */ }
  | { kind: 'bytes'; heap: Uint8Array; starts: Int32Array; lengths: Int32Array /* -1: null */ }
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array }
  | { kind: 'list'; dict: string[]; offsets: Int32Array; codes: Int32Array /* -1: null element */; nulls: Uint8Array };

/** A leaf with, for a list, the definition levels at which the list and an element slot exist. */
export interface ColumnShape extends Leaf {
  list?: { listDef: number; slotDef: number };
}

const optional = (n: SchemaTree) => n.element.repetition_type === 'OPTIONAL';

/** How a top-level column is stored, or Unsupported for shapes this decoder does not read. */
export function shapeOf(column: SchemaTree): ColumnShape {
  const e = column.element;
  if (column.children.length === 0) {
    if (e.repetition_type === 'REPEATED') throw new Unsupported('repeated leaf');
    return { ...leafOf(column), maxDef: optional(column) ? 1 : 0, maxRep: 0 };
  }
  // The standard three-level list: <list> (LIST) > repeated group > element.
  const middle = column.children[0];
  const element = middle?.children[0];
  if (column.children.length !== 1 || middle?.element.repetition_type !== 'REPEATED' || !element) {
    throw new Unsupported('not a three-level list');
  }
  if (middle.children.length !== 1 || element.children.length > 0) throw new Unsupported('list of groups');
  const listDef = optional(column) ? 1 : 0;
  const slotDef = listDef + 1;
  return { ...leafOf(element), maxDef: slotDef + (optional(element) ? 1 : 0), maxRep: 1, list: { listDef, slotDef } };
}

function leafOf(n: SchemaTree): Pick<Leaf, 'type' | 'typeLength' | 'kind'> {
  const e = n.element;
  const type = e.type ?? 'group';
  const typeLength = e.type_length ?? 0;
  if (e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL') {
    const scale = e.scale ?? (e.logical_type as { scale?: number } | undefined)?.scale ?? 0;
    if (scale !== 2) throw new Unsupported(`decimal scale ${scale}`);
    return { type, typeLength, kind: 'decimal' };
  }
  if (type === 'BYTE_ARRAY') return { type, typeLength, kind: 'text' };
  if (type === 'INT32' || type === 'INT64' || type === 'BOOLEAN') return { type, typeLength, kind: 'number' };
  throw new Unsupported(`type ${type}`);
}

/** The rows of a decoded chunk; throws when the chunk holds another number of rows. */
export function assemble(shape: ColumnShape, sink: ChunkSink, rows: number): SilverValues {
  const { defs, reps, values } = sink;
  const max = shape.maxDef;
  if (shape.list) {
    const { listDef, slotDef } = shape.list;
    const offsets = new Int32Array(rows + 1);
    const nulls = new Uint8Array(rows);
    const codes = new Int32Array(sink.slots);
    let row = -1;
    let e = 0;
    let k = 0;
    for (let i = 0; i < sink.slots; i++) {
      const def = max ? defs[i]! : 0;
      if (reps[i] === 0) {
        if (++row >= rows) break;
        offsets[row] = e;
        if (def < listDef) nulls[row] = 1;
      }
      if (def >= slotDef) codes[e++] = def === max ? values[k++]! : -1;
    }
    if (row + 1 !== rows) throw new Error(`list column holds ${row + 1} rows, its row group ${rows}`);
    offsets[rows] = e;
    return { kind: 'list', dict: sink.dict, offsets, codes: codes.subarray(0, e), nulls };
  }
  if (sink.slots !== rows) throw new Error(`column holds ${sink.slots} rows, its row group ${rows}`);
  if (shape.kind === 'bytes') {
    const heap = sink.heap.bytes.subarray(0, sink.heap.used);
    const starts = values as Int32Array;
    if (!max || sink.present === rows) return { kind: 'bytes', heap, starts, lengths: sink.lengths };
    const at = new Int32Array(rows);
    const lengths = new Int32Array(rows);
    for (let r = 0, k = 0; r < rows; r++) {
      if (defs[r] === max) {
        at[r] = starts[k]!;
        lengths[r] = sink.lengths[k++]!;
      } else lengths[r] = -1;
    }
    return { kind: 'bytes', heap, starts: at, lengths };
  }
  if (shape.kind === 'text') {
    // Required, or no null in this chunk: the values are the codes already, row for row.
    if (!max || sink.present === rows) return { kind: 'text', dict: sink.dict, codes: values as Int32Array };
    const codes = new Int32Array(rows);
    for (let r = 0, k = 0; r < rows; r++) codes[r] = defs[r] === max ? values[k++]! : -1;
    return { kind: 'text', dict: sink.dict, codes };
  }
  const nulls = new Uint8Array(rows);
  if (!max || sink.present === rows) return { kind: 'number', values: values as Float64Array, nulls };
  const out = new Float64Array(rows);
  for (let r = 0, k = 0; r < rows; r++) {
    if (defs[r] === max) out[r] = values[k++]!;
    else nulls[r] = 1;
  }
  return { kind: 'number', values: out, nulls };
}
