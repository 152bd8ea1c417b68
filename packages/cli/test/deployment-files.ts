import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Config } from '@oclif/core';
import { parse as parseYaml } from 'yaml';

/** The repository root, where the Dockerfile, docker-compose.yml and .env.example live. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
export const CLI_ROOT = join(import.meta.dirname, '..');

export type Instruction = { keyword: string; args: string };
export type Stage = { from: string; name: string | undefined; instructions: Instruction[] };

/**
 * The Dockerfile as stages of instructions: comments dropped, `\` continuations joined. Enough
 * of the syntax for ours (no heredocs, no parser directives).
 */
export function readDockerfile(path = join(REPO_ROOT, 'Dockerfile')): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    pending += (pending ? ' ' : '') + line.replace(/\\\s*$/, '').trim();
    if (!continued) {
      if (pending.trim()) logical.push(pending.trim());
      pending = '';
    }
  }
  const stages: Stage[] = [];
  for (const text of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(text) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile: ${upper} before any FROM`);
      stage.instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

/** The one instruction of that keyword in a stage (ENTRYPOINT, CMD, HEALTHCHECK, WORKDIR…); the last wins, as in Docker. */
export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}

/** An exec-form argument list (`["pg-cli"]`); the shell form is refused, since it would run under /bin/sh. */
export function execForm(args: string): string[] {
  if (!args.trim().startsWith('[')) throw new Error(`not in exec form: ${args}`);
  return JSON.parse(args) as string[];
}

/** `ENV A=1 B=2` (the `key=value` form, values optionally double-quoted) as a map. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

/** `HEALTHCHECK [--options] CMD [...]`: the command, in exec form. */
export function healthcheckCommand(stage: Stage): string[] {
  const args = lastOf(stage, 'HEALTHCHECK')?.args;
  const cmd = args && /\bCMD\s+(\[.*\])\s*$/.exec(args);
  if (!cmd) throw new Error('Dockerfile: no HEALTHCHECK CMD in exec form');
  return execForm(cmd[1]!);
}

export type Copy = { from: string | undefined; sources: string[]; dest: string };

/** `COPY [--from=stage] src... dest` of a stage (--chown and the like are ignored). */
export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map(({ args }) => {
      const words = args.split(/\s+/);
      const options = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const from = options.find((o) => o.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
    });
}

/** docker-compose.yml, YAML merge keys (`<<: *anchor`) applied as Compose does. */
export function readCompose(path = join(REPO_ROOT, 'docker-compose.yml')): ComposeFile {
  return parseYaml(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

export type ComposeService = {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { disable?: boolean };
  restart?: string;
  stop_grace_period?: string;
  deploy?: { replicas?: number };
};
export type ComposeFile = { services: Record<string, ComposeService> };

/**
 * Variables shown commented out in the compose file (`# NAME: 'value'`): the test-mode switches a
 * reader is told to uncomment.
 */
export function commentedEnv(path = join(REPO_ROOT, 'docker-compose.yml')): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of readFileSync(path, 'utf8').matchAll(/^\s*#\s*([A-Z][A-Z0-9_]*):\s*'([^']*)'/gm)) env[match[1]!] = match[2]!;
  return env;
}

/** Variables .env.example documents (each as `NAME=` or `# NAME=`). */
export function documentedEnv(path = join(REPO_ROOT, '.env.example')): Set<string> {
  return new Set([...readFileSync(path, 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

/** Variables config.ts reads: the keys of its environment schema. */
export function configEnv(path = join(REPO_ROOT, 'packages', 'server', 'src', 'config.ts')): Set<string> {
  const source = readFileSync(path, 'utf8');
  const schema = /const ENV_SCHEMA = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source);
  if (!schema) throw new Error('config.ts: ENV_SCHEMA not found');
  return new Set([...schema[1]!.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
}

/** The built CLI as oclif loads it (packages/cli/dist/commands): what `pg-cli` in the image runs. */
export async function loadCli(): Promise<Config> {
  return Config.load(CLI_ROOT);
}

export type ResolvedCommand = { id: string; flags: Record<string, string | true>; problems: string[] };

/**
 * Resolves `pg-cli` arguments the way oclif does: the longest run of leading words that names a
 * command, then its flags. `problems` lists what oclif would refuse (unknown command or flag).
 */
export function resolveCommand(cli: Config, argv: readonly string[]): ResolvedCommand {
  const firstFlag = argv.findIndex((a) => a.startsWith('-'));
  const words = argv.slice(0, firstFlag === -1 ? argv.length : firstFlag);
  let length = words.length;
  while (length > 0 && !cli.findCommand(words.slice(0, length).join(':'))) length -= 1;
  const id = words.slice(0, length).join(':');
  const command = length > 0 ? cli.findCommand(id) : undefined;
  if (!command) return { id: '', flags: {}, problems: [`no pg-cli command in: ${argv.join(' ')}`] };
  const problems: string[] = [];
  const flags: Record<string, string | true> = {};
  const rest = argv.slice(length);
  for (let i = 0; i < rest.length; i += 1) {
    const token = rest[i]!;
    if (!token.startsWith('-')) {
      problems.push(`${id}: unexpected argument ${token}`);
      continue;
    }
    const [name = '', inline] = token.replace(/^--?/, '').split(/=(.*)/s);
    const flag = token.startsWith('--') ? command.flags[name] : Object.values(command.flags).find((f) => f.char === name);
    if (!flag) {
      problems.push(`${id}: no flag ${token}`);
      continue;
    }
    if (flag.type === 'option') flags[flag.name] = inline ?? rest[(i += 1)] ?? '';
    else flags[flag.name] = true;
  }
  return { id, flags, problems };
}
