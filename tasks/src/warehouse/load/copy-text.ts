/**
 * COPY text written straight into large Buffers: digits and ASCII text byte by byte, no string per
 * field or per row. One format both dialects read the same way: fields separated by tabs, lines by
 * newlines, NULL as \N, and a tab, newline, carriage return or backslash inside a text preceded by
 * a backslash (PostgreSQL's text format and Redshift's COPY ... ESCAPE both take the character
 * after a backslash literally).
 */

import { ByteWriter } from './byte-writer';

const TAB = 9;
const NL = 10;
const ZERO = 48;
const BACKSLASH = 92;
/** "00" to "99": the digits of a number below 100 at 2n and 2n + 1. */
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');

/** Appends COPY text fields to a Buffer that grows by doubling. */
export class CopyTextWriter extends ByteWriter {
  /** An integer below 2^53 in magnitude, two digits per division. */
  int(n: number): this {
    this.room(24);
    if (n < 0) {
      this.buf[this.pos++] = 45; // '-'
      n = -n;
    }
    if (n < 10) {
      this.buf[this.pos++] = ZERO + n;
      return this;
    }
    let digits = 2;
    for (let limit = 100; n >= limit && digits < 16; limit *= 10) digits++;
    if (n >= 1e16) digits = String(n).length;
    let i = this.pos + digits;
    this.pos = i;
    while (n >= 100) {
      const q = Math.floor(n / 100);
      const r = (n - q * 100) * 2;
      this.buf[--i] = PAIRS[r + 1]!;
      this.buf[--i] = PAIRS[r]!;
      n = q;
    }
    if (n >= 10) {
      this.buf[i - 1] = PAIRS[n * 2 + 1]!;
      this.buf[i - 2] = PAIRS[n * 2]!;
    } else this.buf[i - 1] = ZERO + n;
    return this;
  }

  /** Exact cents as a decimal with two places; NaN is NULL. */
  cents(c: number): this {
    if (c !== c) return this.raw('\\N');
    if (c < 0) {
      this.room(1);
      this.buf[this.pos++] = 45;
      c = -c;
    }
    const frac = c % 100;
    this.int((c - frac) / 100);
    this.room(3);
    this.buf[this.pos++] = 46; // '.'
    this.buf[this.pos++] = PAIRS[frac * 2]!;
    this.buf[this.pos++] = PAIRS[frac * 2 + 1]!;
    return this;
  }

  flag(b: number): this {
    this.room(1);
    this.buf[this.pos++] = b ? 116 : 102; // 't' / 'f'
    return this;
  }

  /** A text field: ASCII without COPY's special characters byte by byte, anything else escaped. */
  text(s: string | null): this {
    if (s === null) return this.raw('\\N');
    this.room(s.length);
    const at = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80 || c === BACKSLASH || c === TAB || c === NL || c === 13) {
        this.pos = at;
        return this.raw(copyText(s));
      }
      this.buf[this.pos++] = c;
    }
    return this;
  }

  /** Text as UTF-8, unchanged. */
  raw(s: string): this {
    this.room(Buffer.byteLength(s));
    this.pos += this.buf.write(s, this.pos, 'utf8');
    return this;
  }

  sep(last: boolean): this {
    this.room(1);
    this.buf[this.pos++] = last ? NL : TAB;
    return this;
  }
}

/** A text as one COPY field: NULL as \N; tab, newline, CR and backslash preceded by a backslash. */
export function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/[\\\t\n\r]/g, '\\$&');
}
