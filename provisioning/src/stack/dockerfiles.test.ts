// The Dockerfiles of our services, checked without a Docker engine (see dockerfile-checks.ts).
import { dockerfileProblems, readDockerfile, runtimeWorkspaces } from './dockerfile-checks';
import { repoRoot } from './component-versions';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('Dockerfiles install and build from a clean context', () => {
  it.each([
    ['collector/Dockerfile', 'collector'],
    ['demo/Dockerfile', 'demo'],
  ])('%s: pinned bases, context, workspaces installed, built and copied, command', (path, main) => {
    expect(dockerfileProblems(repoRoot, path, main)).toEqual([]);
  });

  it('follows the workspace dependencies the image runs', () => {
    expect(runtimeWorkspaces(repoRoot, 'collector')).toEqual(
      expect.arrayContaining(['collector', 'conventions']),
    );
    expect(runtimeWorkspaces(repoRoot, 'demo')).toEqual(
      expect.arrayContaining(['cli', 'collector', 'conventions', 'demo', 'instrumentation', 'provisioning']),
    );
  });

  it('reads stages, installs, copies, the command and the health check', () => {
    const file = readDockerfile(readFileSync(join(repoRoot, 'collector/Dockerfile'), 'utf8'));
    expect(file.stages.map((s) => s.name)).toEqual(['build', 'runtime-deps', undefined]);
    expect(file.installs.get(0)?.workspaces).toEqual(['collector', 'conventions']);
    expect(file.cmd).toEqual(['node', 'collector/dist/main.js']);
    expect(file.healthcheck).toBe(true);
  });
});

describe('the Dockerfile check catches a broken image', () => {
  let dir: string;
  beforeAll(() => {
    // A copy of the files the check reads, with a Dockerfile that forgets things.
    dir = mkdtempSync(join(tmpdir(), 'tokenmeter-dockerfile-check-'));
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.base.json', '.dockerignore'])
      cpSync(join(repoRoot, file), join(dir, file));
    for (const ws of JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
      .workspaces as string[]) {
      cpSync(join(repoRoot, ws, 'package.json'), join(dir, ws, 'package.json'));
      cpSync(join(repoRoot, ws, 'tsconfig.json'), join(dir, ws, 'tsconfig.json'));
      cpSync(join(repoRoot, ws, 'src'), join(dir, ws, 'src'), {
        recursive: true,
        filter: (source) => !source.includes('node_modules'),
      });
    }
    const broken = readFileSync(join(repoRoot, 'collector/Dockerfile'), 'utf8')
      .replace(/FROM node:20-bookworm-slim AS build/, 'FROM node:latest AS build')
      .replace(' --workspace conventions --ignore-scripts', ' --ignore-scripts')
      .replace(/COPY --from=build \/app\/conventions\/dist .*\n/, '')
      .replace('collector/dist/main.js', 'collector/dist/server.js');
    writeFileSync(join(dir, 'Dockerfile'), broken);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each mistake', () => {
    expect(dockerfileProblems(dir, 'Dockerfile', 'collector')).toEqual([
      'node:latest is not pinned to a version',
      'stage runtime-deps: npm install has no --workspace conventions',
      'final stage does not copy /app/conventions/dist',
      'CMD ["node","collector/dist/server.js"]: collector/src/server.ts does not exist',
    ]);
  });
});
