import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { localeCollationWarning } from './collation';

// C.UTF-8 is built into the C library, so every machine that runs the tests can create it.
let byLocale: TestDatabase;
let byBytes: TestDatabase;

beforeAll(async () => {
  byLocale = await createTestDatabase('collation_locale', { locale: 'C.UTF-8' });
  byBytes = await createTestDatabase('collation_bytes', { locale: 'C' });
});

afterAll(async () => {
  await byLocale?.drop();
  await byBytes?.drop();
});

it('warns when the database collates text by a locale, naming it', async () => {
  const warning = await withClient(byLocale.url, localeCollationWarning);
  expect(warning).toMatch(/collates text by the locale "C\.UTF-8"/);
  expect(warning).toContain("LC_COLLATE 'C'");
});

it('says nothing under the byte-order C collation', async () => {
  await expect(withClient(byBytes.url, localeCollationWarning)).resolves.toBeUndefined();
});
