import { describe, expectTypeOf, it } from 'vitest';
import type { inferRouterError, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter as ClientRouter } from '@paygate/client';
import type { AppRouter as ServerRouter } from '../../src/transports/trpc/router.js';

/** query | mutation, per procedure. */
type Kinds<R extends { _def: { record: object } }> = {
  [N in keyof R['_def']['record']]: { [P in keyof R['_def']['record'][N]]: R['_def']['record'][N][P] extends { _def: { type: infer T } } ? T : never };
};

// @paygate/client types its tRPC client with a generated copy of the router's type
// (packages/client/src/generated/app-router.ts), since it must not depend on the server. These
// checks run in `npm run typecheck`: a router change that was not regenerated fails them.
// Fix: npm run generate:client-router -w @paygate/server
describe("the client's generated router type", () => {
  it("matches the server router's procedures, inputs, outputs and errors", () => {
    expectTypeOf<Kinds<ClientRouter>>().toEqualTypeOf<Kinds<ServerRouter>>();
    expectTypeOf<inferRouterInputs<ClientRouter>>().toEqualTypeOf<inferRouterInputs<ServerRouter>>();
    expectTypeOf<inferRouterOutputs<ClientRouter>>().toEqualTypeOf<inferRouterOutputs<ServerRouter>>();
    expectTypeOf<inferRouterError<ClientRouter>>().toEqualTypeOf<inferRouterError<ServerRouter>>();
  });
});
