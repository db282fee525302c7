import { CsvColumn, toCsv } from './csv';

interface Row {
  name: string;
  count?: number;
  at?: Date;
  ok?: boolean;
}

const columns: CsvColumn<Row>[] = [
  { header: 'Name', value: r => r.name },
  { header: 'Count', value: r => r.count },
  { header: 'At', value: r => r.at },
  { header: 'OK', value: r => r.ok },
];

describe('toCsv', () => {
  it('writes a header and one CRLF-ended record per row', () => {
    expect(
      toCsv(columns, [
        {
          name: 'qa-1',
          count: 3,
          at: new Date('2026-11-28T10:00:00Z'),
          ok: true,
        },
        { name: 'perf' },
      ]),
    ).toBe(
      'Name,Count,At,OK\r\n' +
        'qa-1,3,2026-11-28T10:00:00.000Z,true\r\n' +
        'perf,,,\r\n',
    );
  });

  it('writes only the header without rows', () => {
    expect(toCsv(columns, [])).toBe('Name,Count,At,OK\r\n');
  });

  it('quotes cells with commas, quotes and line breaks, doubling the quotes', () => {
    const csv = toCsv(
      [{ header: 'Text', value: (r: string) => r }],
      ['a,b', 'say "hi"', 'two\nlines', 'cr\rlf', 'plain'],
    );
    expect(csv).toBe(
      'Text\r\n' +
        '"a,b"\r\n' +
        '"say ""hi"""\r\n' +
        '"two\nlines"\r\n' +
        '"cr\rlf"\r\n' +
        'plain\r\n',
    );
  });

  it('keeps text that a spreadsheet would run as a formula as text', () => {
    const csv = toCsv(
      [{ header: 'Text', value: (r: string) => r }],
      [
        '=HYPERLINK("http://evil.example","x")',
        '+1',
        '-2+3',
        '@SUM(A1)',
        '\tcmd',
        'a=b',
      ],
    );
    expect(csv.split('\r\n')).toEqual([
      'Text',
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tcmd",
      'a=b',
      '',
    ]);
  });

  it('leaves numbers alone, negative ones included', () => {
    expect(
      toCsv([{ header: 'N', value: (n: number) => n }], [-1.5, 0, 42]),
    ).toBe('N\r\n-1.5\r\n0\r\n42\r\n');
  });

  it('quotes headers like any cell', () => {
    expect(toCsv([{ header: 'Lead time, h', value: () => 1 }], [{}])).toBe(
      '"Lead time, h"\r\n1\r\n',
    );
  });
});
