// The compose PostgreSQL's initdb arguments, given to Debian's initdb (the same major version as the
// compose image) the way the official image's entrypoint passes POSTGRES_INITDB_ARGS: the cluster
// must compare text by bytes (C collation) and keep UTF-8 encoding and character classes.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { pgCtl } from '@tokenmeter/test-support';
import { repoRoot } from './component-versions';

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string> }>;
};
const initdbArgs = compose.services.postgres?.environment?.POSTGRES_INITDB_ARGS ?? '';

// initdb and postgres refuse to run as root: as the test server's script does, run them as postgres.
const asOwner = (program: string, args: string[], input = ''): string => {
  const options = { encoding: 'utf8' as const, input, stdio: 'pipe' as const };
  return process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', program, ...args], options)
    : execFileSync(program, args, options);
};

let dataParent: string;

beforeAll(() => {
  dataParent = mkdtempSync(join(tmpdir(), 'tm-initdb-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    chownSync(dataParent, uid, uid);
  }
});

afterAll(() => rmSync(dataParent, { recursive: true, force: true }));

it('initialises a cluster that collates by bytes with UTF-8 text', () => {
  const bin = execFileSync('bash', [pgCtl(), 'bin'], { encoding: 'utf8' }).trim();
  const data = join(dataParent, 'data');
  // the entrypoint splits POSTGRES_INITDB_ARGS on whitespace
  asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', ...initdbArgs.split(/\s+/).filter(Boolean)]);
  const output = asOwner(
    join(bin, 'postgres'),
    ['--single', '-D', data, 'postgres'],
    "SELECT datcollate || '|' || datctype || '|' || pg_encoding_to_char(encoding) AS locale FROM pg_database WHERE datname = 'template1';\n",
  );
  expect(/locale = "([^"]*)"/.exec(output)?.[1]).toBe('C|C.UTF-8|UTF8');
});
