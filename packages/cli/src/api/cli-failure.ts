import { EXIT_CODE_BY_CODE, isErrorCode, isPaygateError } from '@paygate/core/domain';
import { GatewayUnreachableError, PaygateApiError } from '@paygate/client/rest';
import { MissingCredentialError } from './credentials.js';

/**
 * pg-cli's exit codes: core's table (one per error code: BAD_REQUEST_ERROR 2, AUTHENTICATION_ERROR 3,
 * NOT_FOUND_ERROR 4, conflicts 5, SERVICE_UNAVAILABLE_ERROR 6, RATE_LIMIT_ERROR 7, SERVER_ERROR 1)
 * plus the failures only a client meets: a gateway that does not answer (6, as an unavailable one)
 * and a bad command line (2, as any other invalid input). Scripts branch on these; README "Exit codes".
 */
export const CLI_EXIT_CODES = {
  ...EXIT_CODE_BY_CODE,
  GATEWAY_UNREACHABLE: EXIT_CODE_BY_CODE.SERVICE_UNAVAILABLE_ERROR,
  USAGE_ERROR: EXIT_CODE_BY_CODE.BAD_REQUEST_ERROR,
} as const;

/** An invalid command line (a flag's value, a missing one): one line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly description: string,
    readonly field?: string,
  ) {
    super(description);
  }
}

/** What a failed command prints (one line) and exits with. */
export type CliFailure = { code: string; description: string; field?: string | undefined; hint?: string | undefined; exitCode: number };

/** Where the command ran, for hints that name the next command to try. */
export type FailureContext = { bin: string; commandId: string; apiUrl: string | undefined };

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** oclif's parse errors are several lines ("The following error occurred:", "See more help with --help"): one clause each. */
function oneLine(message: string): string {
  const lines = message
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^See more help with --help$/.test(l) && !/^The following errors? occurred:$/.test(l));
  // "Missing 1 required arg:" is followed by "id  The order id": keep the names.
  return lines.reduce((text, line, i) => {
    if (i === 0) return line;
    return text.endsWith(':') || /^[\w-]+ {2}/.test(line) ? `${text}${text.endsWith(':') ? ' ' : ', '}${line.split(/ {2,}/)[0]}` : `${text}; ${line}`;
  }, '');
}

const exitOf = (code: string) => (isErrorCode(code) ? CLI_EXIT_CODES[code] : 1);

function hintFor(code: string, context: FailureContext, field: string | undefined): string | undefined {
  const help = `Run ${context.bin} ${context.commandId} --help for the flags and examples.`;
  switch (code) {
    case 'AUTHENTICATION_ERROR':
      return `Check --api-key and --api-secret (PAYGATE_API_KEY, PAYGATE_API_SECRET), or save them with ${context.bin} login.`;
    case 'NOT_FOUND_ERROR':
      return field === undefined || field === 'id'
        ? `Check the id: it must exist and belong to the merchant of --api-key.`
        : `Check ${field}: it must exist and belong to the merchant of --api-key.`;
    case 'BAD_REQUEST_ERROR':
    case 'USAGE_ERROR':
      return help;
    case 'RATE_LIMIT_ERROR':
      return 'Wait a little and run it again.';
    case 'GATEWAY_UNREACHABLE':
      return `Start one with ${context.bin} dev, or point --api-url (PAYGATE_API_URL) at yours.`;
    case 'SERVICE_UNAVAILABLE_ERROR':
      return `Its database or queue is down: ${context.apiUrl ?? 'the gateway'}/ready says which.`;
    default:
      return undefined;
  }
}

/**
 * The failure a command ended with, as the one line to print: gateway refusals with their code and
 * field, an unreachable gateway, a bad command line. `undefined` for anything else (a bug: oclif
 * prints it with its stack).
 */
export function failureOf(error: unknown, context: FailureContext): CliFailure | undefined {
  const make = (code: string, description: string, field?: string, exitCode = exitOf(code)): CliFailure => ({
    code,
    description,
    field,
    hint: hintFor(code, context, field),
    exitCode,
  });
  if (error instanceof PaygateApiError) return make(error.code, error.description, error.field);
  if (error instanceof GatewayUnreachableError) return make('GATEWAY_UNREACHABLE', error.message, undefined, CLI_EXIT_CODES.GATEWAY_UNREACHABLE);
  if (error instanceof UsageError) return make('USAGE_ERROR', error.description, error.field, CLI_EXIT_CODES.USAGE_ERROR);
  if (error instanceof MissingCredentialError) return make('USAGE_ERROR', error.message, error.flag, CLI_EXIT_CODES.USAGE_ERROR);
  if (isPaygateError(error)) return make(error.code, error.description, error.field);
  const oclif = (error as { oclif?: { exit?: number }; parse?: unknown }).oclif;
  if (error instanceof Error && ((error as { parse?: unknown }).parse !== undefined || oclif?.exit === 2)) {
    return make('USAGE_ERROR', oneLine(error.message), undefined, CLI_EXIT_CODES.USAGE_ERROR);
  }
  return undefined;
}

/** `CODE: description (field). hint` — one line, whatever the description holds. */
export function formatFailure(failure: CliFailure): string {
  const description = failure.description
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '');
  return `${failure.code}: ${description}${failure.field ? ` (${failure.field})` : ''}.${failure.hint ? ` ${failure.hint}` : ''}`;
}
