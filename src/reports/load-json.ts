// Query results as ONE value built by SQLite and read at once. At 100k members, handing rows one
// by one from SQLite to JavaScript costs several times more than SQLite's own work; a single
// string read in one go costs a fraction of it. Two forms: a JSON array (jsonRows), or, for the
// largest table, packed text (PackedRows), which is about twice as cheap again on both sides.
import { sql, type RawBuilder } from 'kysely';
import type { Reader } from '../db/side-reader.ts';

/** `rows` must be a subquery selecting one json_group_array(...) value (null when empty). */
export async function jsonRows<T>(reader: Reader, rows: RawBuilder<unknown>): Promise<T[]> {
  const [first] = await reader.read(sql<{ rows: string | null }>`select (${rows}) as rows`);
  return JSON.parse(first?.rows ?? '[]') as T[];
}

/** Separators of packed text: control characters, which ids never hold and JSON text cannot hold raw. */
export const FIELD = '\x1f';
export const RECORD = '\x1e';
const FIELD_CODE = 0x1f;
const RECORD_CODE = 0x1e;
const DIGITS_EXACT = 15; // up to 15 decimal digits, v * 10 + d stays an exact integer

/**
 * Reads records built as group_concat(concat_ws(FIELD, ...), RECORD), field by field, without
 * splitting the text: integers are read from the character codes (no string per number). A
 * record's last field may be any text free of RECORD (e.g. JSON); the others must be free of FIELD.
 * Malformed text throws.
 */
export class PackedRows {
  private at = 0;

  constructor(private readonly source: string) {}

  get done(): boolean {
    return this.at >= this.source.length;
  }

  /** A non-null integer field. */
  int(): number {
    const value = this.intOrNull();
    if (value === null) throw this.error('a number');
    return value;
  }

  /** An integer field; empty is null (coalesce(x, '') in the query). */
  intOrNull(): number | null {
    const t = this.source;
    const start = this.at;
    let i = start;
    let value = 0;
    for (let c = t.charCodeAt(i); c >= 48 && c <= 57; c = t.charCodeAt(++i)) value = value * 10 + (c - 48);
    if (t.charCodeAt(i) === FIELD_CODE && i - start <= DIGITS_EXACT) {
      this.at = i + 1;
      return i === start ? null : value;
    }
    // A sign, a fraction or a long number: as JSON.parse would read it.
    const field = this.field();
    const n = Number(field);
    if (field === '' || Number.isNaN(n)) throw this.error('a number', start);
    return n;
  }

  /** A text field. */
  text(): string {
    return this.field();
  }

  /** The record's last field. */
  last(): string {
    const t = this.source;
    let stop = t.indexOf(RECORD, this.at);
    if (stop < 0) stop = t.length;
    const value = t.slice(this.at, stop);
    this.at = stop + 1;
    return value;
  }

  /** A field that is not a record's last: up to the next FIELD, which must come before the next RECORD. */
  private field(): string {
    const t = this.source;
    let i = this.at;
    for (let c = t.charCodeAt(i); c !== FIELD_CODE; c = t.charCodeAt(++i)) if (c === RECORD_CODE || i >= t.length) throw this.error('another field');
    const value = t.slice(this.at, i);
    this.at = i + 1;
    return value;
  }

  private error(expected: string, at = this.at): Error {
    return new Error(`packed rows: expected ${expected} at character ${at}: ${JSON.stringify(this.source.slice(at, at + 40))}`);
  }
}
