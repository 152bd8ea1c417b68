import type { PaygateError } from '@paygate/core';

/**
 * Puts an infrastructure failure (a database driver's error, a connection lost or refused) in
 * our vocabulary: a PaygateError for the client (bad input a 400, an unreachable dependency a 503
 * with Retry-After), or `undefined` when it is not one it recognises: a bug, which the transport
 * renders as a 500.
 *
 * @remarks Implemented by the adapter that knows the driver (adapters/db/database-errors.ts) and
 * handed to REST and tRPC in AppDeps by the composition root, so that neither transport knows
 * which database runs underneath.
 */
export type ClassifyError = (error: unknown) => PaygateError | undefined;
