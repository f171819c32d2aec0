// What can be checked of our Dockerfiles without a Docker engine: pinned base images, a build
// context that holds (and .dockerignore keeps) what the build reads, every workspace the image
// runs installed, built and copied, and commands that name files the build produces.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { DockerfileParser } from 'dockerfile-ast';
import semver from 'semver';
import ts from 'typescript';

export interface Dockerfile {
  stages: Array<{ name: string | undefined; image: string; tag: string | undefined }>;
  /** Per stage index: the `--workspace` names of its `npm install` runs, and its RUN texts. */
  installs: Map<number, { workspaces: string[]; runs: string[] }>;
  copies: Array<{ stage: number; from: string | undefined; sources: string[] }>;
  cmd: string[];
  healthcheck: boolean;
}

export function readDockerfile(text: string): Dockerfile {
  const parsed = DockerfileParser.parse(text);
  const froms = parsed.getFROMs();
  const stageOf = (line: number): number =>
    froms.filter((from) => from.getRange().start.line <= line).length - 1;
  const result: Dockerfile = {
    stages: froms.map((from) => ({
      name: from.getBuildStage() ?? undefined,
      image: from.getImageName() ?? '',
      tag: from.getImageTag() ?? undefined,
    })),
    installs: new Map(),
    copies: [],
    cmd: [],
    healthcheck: false,
  };
  for (const instruction of parsed.getInstructions()) {
    const stage = stageOf(instruction.getRange().start.line);
    const args = instruction.getArguments().map((a) => a.getValue());
    switch (instruction.getKeyword()) {
      case 'RUN': {
        const run = args.join(' ');
        const entry = result.installs.get(stage) ?? { workspaces: [], runs: [] };
        entry.runs.push(run);
        for (const match of run.matchAll(/--workspace[= ]+(\S+)/g))
          entry.workspaces.push(match[1] as string);
        result.installs.set(stage, entry);
        break;
      }
      case 'COPY': {
        const flags = (
          instruction as unknown as { getFlags(): Array<{ getName(): string; getValue(): string }> }
        ).getFlags();
        const from = flags.find((flag) => flag.getName() === 'from')?.getValue();
        result.copies.push({ stage, from, sources: args.slice(0, -1) });
        break;
      }
      case 'CMD':
        result.cmd = JSON.parse(instruction.getArgumentsContent() ?? '[]') as string[];
        break;
      case 'HEALTHCHECK':
        result.healthcheck = !/^\s*NONE\b/i.test(instruction.getArgumentsContent() ?? '');
        break;
    }
  }
  return result;
}

interface Workspace {
  folder: string;
  name: string;
  dependencies: string[];
}

function workspaces(repoRoot: string): Map<string, Workspace> {
  const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const byName = new Map<string, Workspace>();
  for (const folder of root.workspaces) {
    const pkg = JSON.parse(readFileSync(join(repoRoot, folder, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
    };
    byName.set(pkg.name, {
      folder,
      name: pkg.name,
      dependencies: Object.keys(pkg.dependencies ?? {}),
    });
  }
  return byName;
}

/** The workspace folders `main` needs at run time: itself and its workspace dependencies, recursively. */
export function runtimeWorkspaces(repoRoot: string, main: string): string[] {
  const all = workspaces(repoRoot);
  const byFolder = new Map([...all.values()].map((w) => [w.folder, w]));
  const needed = new Set<string>();
  const visit = (workspace: Workspace | undefined): void => {
    if (!workspace || needed.has(workspace.folder)) return;
    needed.add(workspace.folder);
    for (const dependency of workspace.dependencies) visit(all.get(dependency));
  };
  visit(byFolder.get(main));
  return [...needed].sort();
}

/** Workspace folders `tsc -b <main>` builds: main and its project references, recursively. */
function builtByTsc(repoRoot: string, main: string): Set<string> {
  const built = new Set<string>();
  const visit = (folder: string): void => {
    if (built.has(folder)) return;
    built.add(folder);
    const path = join(repoRoot, folder, 'tsconfig.json');
    const config = ts.parseConfigFileTextToJson(path, readFileSync(path, 'utf8')).config as {
      references?: Array<{ path: string }>;
    };
    for (const reference of config.references ?? [])
      visit(join(folder, reference.path).replace(/\/$/, ''));
  };
  visit(main);
  return built;
}

/** Problems of the Dockerfile at `dockerfilePath` (relative to the repo) for workspace `main`. */
export function dockerfileProblems(
  repoRoot: string,
  dockerfilePath: string,
  main: string,
): string[] {
  const problems: string[] = [];
  const file = readDockerfile(readFileSync(join(repoRoot, dockerfilePath), 'utf8'));
  const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    engines?: { node?: string };
    devDependencies?: Record<string, string>;
  };

  // Base images: a version tag, and Node's major one the project supports.
  for (const stage of file.stages) {
    if (!stage.tag || stage.tag === 'latest' || !/^v?\d/.test(stage.tag))
      problems.push(`${stage.image}:${stage.tag ?? ''} is not pinned to a version`);
    if (stage.image === 'node' && stage.tag) {
      const major = Number(/^(\d+)/.exec(stage.tag)?.[1]);
      const lowest = semver.minVersion(rootPackage.engines?.node ?? '*');
      if (!lowest || major < lowest.major)
        problems.push(`node:${stage.tag} is older than engines.node ${rootPackage.engines?.node}`);
    }
  }

  // The context: what `COPY . .` must bring, not excluded by .dockerignore.
  const ignorePath = join(repoRoot, '.dockerignore');
  const ignore = dockerignore().add(
    existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8').split('\n') : [],
  );
  const needed = runtimeWorkspaces(repoRoot, main);
  const contextFiles = [
    'package.json',
    'package-lock.json',
    'tsconfig.base.json',
    ...needed.flatMap((ws) => [`${ws}/package.json`, `${ws}/tsconfig.json`, `${ws}/src`]),
  ];
  for (const path of contextFiles) {
    if (!existsSync(join(repoRoot, path))) problems.push(`context: ${path} does not exist`);
    else if (ignore.ignores(path)) problems.push(`context: ${path} is excluded by .dockerignore`);
  }
  for (const copy of file.copies.filter((c) => !c.from))
    for (const source of copy.sources)
      if (source !== '.' && (!existsSync(join(repoRoot, source)) || ignore.ignores(source)))
        problems.push(`COPY ${source}: not in the build context`);

  // Stages and what each installs, builds and copies.
  const stageIndex = (name: string): number => file.stages.findIndex((s) => s.name === name);
  for (const copy of file.copies.filter((c) => c.from))
    if (stageIndex(copy.from as string) < 0)
      problems.push(`COPY --from=${copy.from}: no such stage`);
  const build = stageIndex('build');
  const runtimeDeps = stageIndex('runtime-deps');
  const final = file.stages.length - 1;
  const buildRuns = file.installs.get(build)?.runs.join(' && ') ?? '';
  const tscBuild = new RegExp(`npx tsc -b ${main}\\b`).test(buildRuns);
  if (!tscBuild) problems.push(`stage build does not run \`npx tsc -b ${main}\``);
  if (!rootPackage.devDependencies?.typescript)
    problems.push('typescript is not a devDependency of the root package.json (npx tsc)');
  if (!/--include-workspace-root/.test(buildRuns))
    problems.push('stage build installs without --include-workspace-root (no TypeScript)');
  const compiled = builtByTsc(repoRoot, main);
  const finalCopies = file.copies
    .filter((c) => c.stage === final && c.from === 'build')
    .flatMap((c) => c.sources);
  for (const ws of needed) {
    for (const [stage, index] of [
      ['build', build],
      ['runtime-deps', runtimeDeps],
    ] as const)
      if (!file.installs.get(index)?.workspaces.includes(ws))
        problems.push(`stage ${stage}: npm install has no --workspace ${ws}`);
    if (!compiled.has(ws))
      problems.push(`tsc -b ${main} does not build ${ws} (tsconfig references)`);
    for (const path of [`/app/${ws}/package.json`, `/app/${ws}/dist`])
      if (!finalCopies.includes(path)) problems.push(`final stage does not copy ${path}`);
  }

  // The default command runs a file the build produces.
  problems.push(...commandProblems(repoRoot, file.cmd, `CMD ${JSON.stringify(file.cmd)}`));
  if (!file.healthcheck) problems.push('no HEALTHCHECK');
  return problems;
}

/** `node <ws>/dist/<path>.js` must come from `<ws>/src/<path>.ts`. */
export function commandProblems(repoRoot: string, command: string[], where: string): string[] {
  if (command[0] !== 'node') return [];
  const script = command[1] ?? '';
  const match = /^([\w-]+)\/dist\/(.+)\.js$/.exec(script);
  if (!match) return [`${where}: ${script} is not a built file (<workspace>/dist/…js)`];
  const source = `${match[1]}/src/${match[2]}.ts`;
  return existsSync(join(repoRoot, source)) ? [] : [`${where}: ${source} does not exist`];
}
