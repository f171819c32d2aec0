import { Client } from 'pg';
import { copyField } from './copy-text';
import { columnArrayLiterals } from './array-literal';
import { testDatabaseUrl } from '@tokenmeter/test-support';

describe('columnArrayLiterals', () => {
  it('turns COPY text rows into array literals that unnest reads back as the same values', async () => {
    const rows: [string | null, number | null, boolean | null, string | null][] = [
      ['plain', 0, true, '{"a":"x\\"y","b":"line\\nbreak\\\\"}'],
      ['tab\there, "quoted", {braced}', -1.5, false, null],
      ['new\nline\rreturn\\back', 1e-10, null, '{}'],
      ['\\N', null, true, '[1,2]'],
      [null, 123456789012, false, null],
      ['', 2.5, true, null],
    ];
    const text = rows.map((row) => `${row.map(copyField).join('\t')}\n`).join('');
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows: read } = await client.query(
        'SELECT * FROM unnest($1::text[], $2::float8[], $3::bool[], $4::jsonb[]) AS r(t, n, b, j)',
        columnArrayLiterals([text.slice(0, text.indexOf('\n') + 1), text.slice(text.indexOf('\n') + 1)], 4),
      );
      expect(read.map((row) => [row.t, row.n, row.b, row.j])).toEqual(rows.map(([t, n, b, j]) => [t, n, b, j === null ? null : JSON.parse(j)]));
    } finally {
      await client.end();
    }
  });

  it('refuses rows that do not have the expected number of fields', () => {
    expect(() => columnArrayLiterals(['a\tb\n'], 3)).toThrow(RangeError);
  });
});
