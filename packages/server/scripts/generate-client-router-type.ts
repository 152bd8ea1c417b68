/**
 * Writes packages/client/src/generated/app-router.ts: the tRPC router's TYPE, spelled out, so
 * that @paygate/client can type its tRPC client without depending on @paygate/server.
 *
 * Why generated, and why this way: `typeof appRouter` drags in the router's context (Fastify's
 * request, knex, the queue) and tsc's declaration output imports those libraries by name, so a
 * bundled .d.ts would not resolve where only the client is installed. A client needs only each
 * procedure's kind, input, output and the error shape: this script asks the type checker for
 * exactly those (through tRPC's own `inferRouterInputs`/`inferRouterOutputs`/`inferRouterError`)
 * and writes them as a router type built from tRPC's public procedure types. Outputs that are wire
 * types keep their names (`Order`, `Payment`…, which the client owns and the server's serializers
 * are typed against).
 *
 * The server's type test (test/types/client-router-type.test.ts) checks that the generated type
 * still equals the real router's inputs, outputs and errors, so a router change that is not
 * regenerated fails `npm run typecheck`. Run: `npm run generate:client-router -w @paygate/server`.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const serverDir = resolve(here, '..');
const clientWire = resolve(serverDir, '../client/src/wire.ts');
const target = resolve(serverDir, '../client/src/generated/app-router.ts');
const probePath = join(serverDir, 'src', '__client_router_probe__.ts');

const PROBE = `
import type { inferProcedureInput, inferProcedureOutput, inferRouterError } from '@trpc/server';
import type { AppRouter } from './transports/trpc/router.js';
type R = AppRouter['_def']['record'];
export type Kinds = { [N in keyof R]: { [P in keyof R[N]]: R[N][P] extends { _def: { type: infer T } } ? T : never } };
export type Inputs = { [N in keyof R]: { [P in keyof R[N]]: inferProcedureInput<R[N][P]> } };
export type Outputs = { [N in keyof R]: { [P in keyof R[N]]: inferProcedureOutput<R[N][P]> } };
export type ErrorShape = inferRouterError<AppRouter>;
`;

/** tRPC's bundled declarations export its types under short chunk names (`di as TRPC_ERROR_CODE_KEY`); its index says which. */
const TRPC_PUBLIC_NAMES: ReadonlyMap<string, string> = new Map(
  [...readFileSync(resolve(serverDir, '../../node_modules/@trpc/server/dist/index.d.mts'), 'utf8').matchAll(/\b(\w+) as (\w+)\b/g)].map((m) => [m[1]!, m[2]!]),
);
const trpcNamesUsed = new Set<string>();

/**
 * Printed types name things by the path they were declared in: our wire types (`import(".../wire").Order`)
 * become `Order`, core's identical status unions become the client's, and tRPC's chunk names their public ones.
 */
function withPublicNames(text: string): string {
  return text
    .replace(/import\("[^"]*\/packages\/(?:client\/src\/wire|core\/src\/index)"\)\.(\w+)/g, '$1')
    .replace(/import\("[^"]*\/@trpc\/server\/dist\/[^"]*"\)\.(\w+)/g, (_all, short: string) => {
      const name = TRPC_PUBLIC_NAMES.get(short);
      if (!name) throw new Error(`tRPC type ${short} has no public name in @trpc/server's index`);
      trpcNamesUsed.add(name);
      return name;
    });
}

function generate(): string {
  const configFile = ts.readConfigFile(join(serverDir, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, serverDir);
  const options = { ...parsed.options, noEmit: true, composite: false, declaration: false, declarationMap: false, customConditions: ['@paygate/source'] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (resolve(f) === probePath ? PROBE : readFile(f));
  host.fileExists = (f) => resolve(f) === probePath || fileExists(f);
  const program = ts.createProgram({ rootNames: [probePath], options, host });
  const checker = program.getTypeChecker();
  const probe = program.getSourceFile(probePath)!;
  const moduleSymbol = checker.getSymbolAtLocation(probe)!;
  const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, checker.getDeclaredTypeOfSymbol(s)]));
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType | ts.TypeFormatFlags.InTypeAlias;
  const print = (t: ts.Type) => withPublicNames(checker.typeToString(t, probe, flags));
  const propsOf = (t: ts.Type) => checker.getPropertiesOfType(t).map((p) => [p.name, checker.getTypeOfSymbol(p)] as const);

  const kinds = exported.get('Kinds')!;
  const inputs = new Map(propsOf(exported.get('Inputs')!));
  const outputs = new Map(propsOf(exported.get('Outputs')!));
  const lines: string[] = [];
  for (const [namespace, procedures] of propsOf(kinds)) {
    lines.push(`  ${namespace}: {`);
    const nsInputs = new Map(propsOf(inputs.get(namespace)!));
    const nsOutputs = new Map(propsOf(outputs.get(namespace)!));
    for (const [name, kind] of propsOf(procedures)) {
      const procedure = { query: 'TRPCQueryProcedure', mutation: 'TRPCMutationProcedure', subscription: 'TRPCSubscriptionProcedure' }[
        print(kind).replace(/'/g, '') as 'query'
      ];
      if (!procedure) throw new Error(`${namespace}.${name}: unknown procedure kind ${print(kind)}`);
      lines.push(`    ${name}: ${procedure}<{ input: ${print(nsInputs.get(name)!)}; output: ${print(nsOutputs.get(name)!)}; meta: object }>;`);
    }
    lines.push('  };');
  }
  const errorShape = print(exported.get('ErrorShape')!);

  // Names the printed types use must all be wire types the client exports.
  const wireNames = [...readFileSync(clientWire, 'utf8').matchAll(/^export type (\w+)/gm)].map((m) => m[1]!);
  const body = `${lines.join('\n')}\n${errorShape}`;
  const used = wireNames.filter((n) => new RegExp(`\\b${n}\\b`).test(body));
  const outsideStrings = body.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/TRPC(Query|Mutation)Procedure</g, '');
  const foreign = [...outsideStrings.matchAll(/\b([A-Z]\w*)\b/g)]
    .map((m) => m[1]!)
    .filter((n) => !wireNames.includes(n) && !trpcNamesUsed.has(n) && !['Record', 'Date'].includes(n));
  if (foreign.length > 0) console.error(body);
  if (foreign.length > 0)
    throw new Error(
      `The router's types name ${[...new Set(foreign)].join(', ')}, which @paygate/client does not define: move them to packages/client/src/wire.ts`,
    );

  return `// Generated by packages/server/scripts/generate-client-router-type.ts from the server's tRPC
// router; do not edit. Regenerate: npm run generate:client-router -w @paygate/server
// (the server's type test fails when this file no longer matches the router).
import type { ${['TRPCBuiltRouter', 'TRPCMutationProcedure', 'TRPCQueryProcedure', ...trpcNamesUsed].sort().join(', ')} } from '@trpc/server';
import type { ${used.join(', ')} } from '../wire.js';

/** The error shape: tRPC's, with the REST envelope's fields in \`data.paygate\`. */
export type PaygateErrorShape = ${errorShape};

/** The procedures of the gateway's tRPC API at /trpc. */
export type AppRouterProcedures = {
${lines.join('\n')}
};

/** The router's type, as \`createTRPCClient<AppRouter>\` needs it. */
export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: PaygateErrorShape; transformer: false }, AppRouterProcedures>;
`;
}

writeFileSync(target, generate());
console.log(`wrote ${target}`);
