import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AsyncBuffer } from 'hyparquet';

/** tasks/test/fixtures/. */
export const fixtures = path.join(__dirname, '..', 'fixtures');

/** A fixture file as the Parquet reader's ranged-read buffer (whole in memory). */
export function fixtureBuffer(file: string): AsyncBuffer {
  const b = readFileSync(path.join(fixtures, file));
  const bytes = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  return { byteLength: bytes.byteLength, slice: async (s, e) => bytes.slice(s, e) };
}
