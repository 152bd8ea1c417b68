// @ts-check
// The import boundaries ARCHITECTURE.md describes, checked in CI (`npm run check:boundaries`,
// run by .ci/run before the tests). A rule here is a decision about the design: change the code,
// not the rule, unless the design itself changes (and then ARCHITECTURE.md with it).

/**
 * Tests (and their tooling config) may reach into any layer to set up and observe: they are held
 * only to "no cycles".
 */
const TESTS = ['\\.test\\.tsx?$', '^packages/[^/]+/test/', '^packages/server/bench/', '(^|/)vitest\\.config\\.ts$'];

const SERVER = '^packages/server/src/';
/** Every package and example of ours (anything else resolves into node_modules or is a Node built-in). */
const OURS = '^(packages|examples)/';
/** How an npm package can be depended on; Node's built-ins are `core`. */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- Everywhere ------------------------------------------------------------------------
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle means neither module can be understood, tested or moved without the other, and it hides which way the layers point. ' +
        'Type-only imports count (tsPreCompilationDeps): a type cycle couples the modules just the same. Applies to tests too.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-import',
      severity: 'error',
      comment:
        'An import the check cannot resolve is one it cannot judge: every other rule here would pass it unseen. ' +
        'Fix the path, or teach the resolver (enhancedResolveOptions below) the new package.',
      from: {},
      to: { couldNotResolve: true },
    },

    // ---- Between packages ------------------------------------------------------------------
    {
      name: 'core-imports-no-workspace-package',
      severity: 'error',
      comment: '@paygate/core is the pure domain every other package builds on; importing any of them would make it depend on I/O and on its own users.',
      from: { path: '^packages/core/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^packages/core/' },
    },
    {
      name: 'webhook-verify-imports-nothing-of-ours',
      severity: 'error',
      comment:
        'Merchants install @paygate/webhook-verify on its own (Node, browsers, edge): it must not pull in core or the server. ' +
        'It checks the same signature vectors as core through its tests, not through code.',
      from: { path: '^packages/webhook-verify/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^packages/webhook-verify/' },
    },
    {
      name: 'webhook-verify-has-no-runtime-dependency',
      severity: 'error',
      comment: '@paygate/webhook-verify promises zero dependencies (WebCrypto only): a merchant adds it without adding anything else.',
      from: { path: '^packages/webhook-verify/', pathNot: TESTS },
      to: { dependencyTypes: NPM },
    },
    {
      name: 'client-imports-nothing-of-ours',
      severity: 'error',
      comment:
        "@paygate/client is what merchants' backends, pg-cli and dashboards install to talk to a gateway: it must not pull in the server " +
        '(knex, PGlite, bee-queue, Fastify) nor core. Its wire types are its own; the server types its serializers against them, and its ' +
        'tRPC router type is generated into it (packages/server/scripts/generate-client-router-type.ts).',
      from: { path: '^packages/client/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^packages/client/' },
    },
    {
      name: 'client-depends-only-on-trpc',
      severity: 'error',
      comment:
        '@paygate/client runs on fetch; its only libraries are @trpc/client and @trpc/server (the tRPC client needs its types and helpers). ' +
        'Anything else lands in every merchant backend and in pg-cli. packages/client/test/dependency-closure.test.ts checks the installed closure.',
      from: { path: '^packages/client/', pathNot: TESTS },
      to: { dependencyTypes: NPM, pathNot: '^node_modules/@trpc/(client|server)/' },
    },
    {
      name: 'dashboard-talks-to-the-gateway-only-through-the-client',
      severity: 'error',
      comment:
        'The web dashboard runs in the browser: it reaches the gateway over HTTP through @paygate/client and may use pure values from ' +
        "@paygate/core (event type names); the server, the CLI and webhook-verify's Node entry would bundle code that cannot run there.",
      from: { path: '^packages/dashboard/src/', pathNot: TESTS },
      to: { path: OURS, pathNot: ['^packages/dashboard/', '^packages/client/', '^packages/core/'] },
    },
    {
      name: 'cli-api-commands-use-only-the-client',
      severity: 'error',
      comment:
        'DESIGN.md: every client command talks to a running gateway over HTTP through @paygate/client, never to the database. Only the ' +
        'commands that run a gateway process (dev, server, worker, migrate, merchants create) and their helpers may import @paygate/server; ' +
        'importing it elsewhere would also load knex, PGlite and Fastify into every `pg-cli orders get`.',
      from: {
        path: '^packages/cli/src/',
        pathNot: [
          ...TESTS,
          '^packages/cli/src/commands/(dev|server|worker|migrate)\\.ts$',
          '^packages/cli/src/commands/merchants/create\\.ts$',
          '^packages/cli/src/(server-command|run-gateway|unsafe-mode-warning)\\.ts$',
          // pg-cli dev's banner and readable log (it runs the gateway it greets for)
          '^packages/cli/src/dev/',
        ],
      },
      to: { path: '^packages/server/' },
    },
    {
      name: 'sdk-web-imports-only-core',
      severity: 'error',
      comment:
        "@paygate/sdk-web runs in shoppers' browsers and is bundled into checkout.js: of our packages it may use only @paygate/core " +
        '(its pure functions: card checks, money formatting), never the server or anything with I/O or secrets.',
      from: { path: '^packages/sdk-web/', pathNot: TESTS },
      to: { path: OURS, pathNot: ['^packages/sdk-web/', '^packages/core/'] },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'pg-cli is the outermost shell (oclif commands): the packages it drives must never depend on it.',
      from: { pathNot: '^packages/cli/' },
      to: { path: '^packages/cli/' },
    },
    {
      name: 'cli-uses-package-entries',
      severity: 'error',
      comment:
        "pg-cli uses @paygate/server, @paygate/client and @paygate/core as their users do, through each package's entry (src/index.ts, its public surface; " +
        '@paygate/server/embedded-postgres, which opens the embedded database without loading the gateway; @paygate/core/domain and ' +
        '@paygate/client/rest, the same surfaces less the zod schemas and the tRPC client, which a command need not load); ' +
        'a deep import would tie the CLI to internals that may move.',
      from: { path: '^packages/cli/', pathNot: TESTS },
      to: {
        path: '^packages/(server|core|client)/',
        pathNot: '^packages/((server|core|client)/src/index|server/src/embedded-postgres|core/src/domain|client/src/rest)\\.ts$',
      },
    },
    {
      name: 'workspace-packages-imported-by-name',
      severity: 'error',
      comment:
        'Packages and examples reach each other by package name (resolved through package.json "exports"), never by a relative path: ' +
        "a relative path skips the package's public surface and breaks as soon as the package is installed from the registry.",
      from: { path: '^(packages|examples)/([^/]+)/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^$1/$2/', dependencyTypes: ['local'] },
    },

    // ---- Inside packages/server/src --------------------------------------------------------
    {
      name: 'transports-not-to-adapters-or-workers',
      severity: 'error',
      comment:
        'REST and tRPC translate requests into service calls; they must not know which database, queue or driver runs underneath ' +
        '(adapters), nor the job consumers (workers), nor the composition root. What they need comes in through AppDeps.',
      from: { path: `${SERVER}transports/`, pathNot: TESTS },
      to: { path: [`${SERVER}adapters/`, `${SERVER}workers/`, `${SERVER}gateway\\.ts$`] },
    },
    {
      name: 'transports-are-siblings',
      severity: 'error',
      comment:
        'REST and tRPC sit side by side on the same services: neither builds on the other. What both need (rate-limit errors, ' +
        'stream slots) lives in transports/rate-limit; transports/app.ts hosts both on one Fastify instance.',
      from: { path: `${SERVER}transports/(http|trpc)/`, pathNot: TESTS },
      to: { path: `${SERVER}transports/`, pathNot: [`${SERVER}transports/$1/`, `${SERVER}transports/rate-limit/`] },
    },
    {
      name: 'services-not-to-outer-layers-or-adapters',
      severity: 'error',
      comment:
        'A use case is shared by REST, tRPC and the workers, so it must not import any of them, nor app-deps or the composition root. ' +
        'It reaches the outside world through ports (ServiceDeps); the one exception is the SQL functions in adapters/db/operations, ' +
        'which services call with the knex handle from deps.',
      from: { path: `${SERVER}services/`, pathNot: TESTS },
      to: {
        path: [`${SERVER}transports/`, `${SERVER}workers/`, `${SERVER}app-deps\\.ts$`, `${SERVER}gateway\\.ts$`, `${SERVER}adapters/`],
        pathNot: `${SERVER}adapters/db/operations/`,
      },
    },
    {
      name: 'workers-not-to-transports-or-adapters',
      severity: 'error',
      comment:
        'Workers only schedule (timers, queue consumption) and call the same services a route does; the work itself, and every ' +
        'database call, lives in services, so a worker never imports an adapter or a transport.',
      from: { path: `${SERVER}workers/`, pathNot: TESTS },
      to: { path: [`${SERVER}transports/`, `${SERVER}adapters/`] },
    },
    {
      name: 'adapters-not-to-inner-or-outer-layers',
      severity: 'error',
      comment:
        'Adapters implement ports (database, queue, event bus, clock, HTTP sender) and are chosen by the composition root; ' +
        'they must not call use cases, transports or workers, or the wiring would run both ways.',
      from: { path: `${SERVER}adapters/`, pathNot: TESTS },
      to: { path: [`${SERVER}services/`, `${SERVER}transports/`, `${SERVER}workers/`, `${SERVER}app-deps\\.ts$`, `${SERVER}gateway\\.ts$`] },
    },
    {
      name: 'ports-and-model-import-only-ports-model-lib-core',
      severity: 'error',
      comment:
        'Ports (interfaces) and model (row and wire types, pure rules) are what every layer shares; they may use only each other, ' +
        'lib, @paygate/core and the wire types of @paygate/client, so that depending on them never drags in an adapter, a service or a transport.',
      from: { path: `${SERVER}(ports|model)/`, pathNot: TESTS },
      to: { path: OURS, pathNot: [`${SERVER}(ports|model|lib)/`, '^packages/core/', '^packages/client/'] },
    },
    {
      name: 'ports-and-model-use-libraries-for-types-only',
      severity: 'error',
      comment:
        "Ports and model hold no I/O and no driver: a library may appear only as a type (import type, e.g. knex's Knex), " +
        'never as code that runs; Node built-ins included.',
      from: { path: `${SERVER}(ports|model)/`, pathNot: TESTS },
      to: { dependencyTypes: [...NPM, 'core'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lib-imports-nothing-of-ours',
      severity: 'error',
      comment: 'lib holds generic helpers (group commit, timeouts) that know nothing of Paygate; anything of ours would make them specific.',
      from: { path: `${SERVER}lib/`, pathNot: TESTS },
      to: { path: OURS, pathNot: `${SERVER}lib/` },
    },
    {
      name: 'only-index-imports-gateway',
      severity: 'error',
      comment:
        'gateway.ts is the composition root: it imports everything and so must be imported by nothing but the package entry ' +
        '(src/index.ts, whose startGateway the CLI calls).',
      from: { pathNot: [`${SERVER}index\\.ts$`, ...TESTS] },
      to: { path: `${SERVER}gateway\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '(^|/)coverage/', '(^|/)\\.paygate/'] },
    // Type-only imports are dependencies too: they tie the modules together at design time.
    tsPreCompilationDeps: true,
    // Workspace packages resolve to their sources (the "@paygate/source" condition the tests use), so
    // the check needs no build and sees which file an import lands on.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@paygate/source', 'import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
