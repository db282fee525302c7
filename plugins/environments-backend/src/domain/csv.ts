/** What a CSV cell may be made from; `null` and `undefined` make an empty cell. */
export type CsvValue = string | number | boolean | Date | null | undefined;

/** One column of a CSV export: its header and how a row gives its cell. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/**
 * Characters that make a spreadsheet read a text cell as a formula (`=`, `+`, `-`, `@`) or that
 * some spreadsheets strip before looking for one (tab, carriage return). OWASP's "CSV injection"
 * advice: start such cells with a single quote so they stay text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * An RFC 4180 CSV document: a header line, then one record per row, every line ended by CRLF.
 * A cell is quoted when it holds a comma, a double quote or a line break, with its double
 * quotes doubled. Text cells that a spreadsheet would run as a formula get a leading `'`;
 * numbers are never prefixed, so negative numbers stay numbers. Dates are written in ISO 8601
 * UTC.
 */
export function toCsv<T>(columns: CsvColumn<T>[], rows: T[]): string {
  const lines = [
    columns.map(column => csvCell(column.header)),
    ...rows.map(row => columns.map(column => csvCell(column.value(row)))),
  ];
  return lines.map(cells => `${cells.join(',')}\r\n`).join('');
}

function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  const text = value instanceof Date ? value.toISOString() : value;
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
