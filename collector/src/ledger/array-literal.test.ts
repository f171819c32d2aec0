import { Client } from 'pg';
import { arrayLiteral } from './array-literal';
import { testDatabaseUrl } from '../test-support/environment';

describe('arrayLiteral', () => {
  it('writes text, numbers, booleans and NULL the way PostgreSQL reads them back unchanged', async () => {
    const texts = ['plain', 'with "quotes"', 'back\\slash', '', 'comma, {braces}', 'NULL', ' spaced ', '{"json": [1, "a\\"b"]}', 'ünïcødé ✓', null];
    const numbers = [0, -1.5, 1e-10, 123456789012, null];
    const booleans = [true, false, null];
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT $1::text[] AS texts, $2::float8[] AS numbers, $3::bool[] AS booleans', [
        arrayLiteral(texts),
        arrayLiteral(numbers),
        arrayLiteral(booleans),
      ]);
      expect(rows[0]).toEqual({ texts, numbers, booleans });
    } finally {
      await client.end();
    }
  });

  it('refuses numbers PostgreSQL cannot store', () => {
    expect(() => arrayLiteral([Number.NaN])).toThrow(RangeError);
  });
});
