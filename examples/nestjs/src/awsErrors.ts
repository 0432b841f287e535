import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { PaginationError, WaiterError } from 'rxjs-aws';

/**
 * The HTTP error for an error of rxjs-aws or of DynamoDB, `undefined` for any
 * other (a bug: Nest answers 500 and logs it).
 *
 * - `WaiterError` `timeout`: 504 with the waiter's reason, `failure`: 409,
 *   `error`: what its cause maps to (`ValidationException` 400, ...).
 * - `PaginationError` (a starting token that the app's signer refuses: not
 *   sealed, edited, sealed with a key no longer accepted, or for another
 *   table; or one that does not fit the paginator): 400 with its message.
 * - DynamoDB `ValidationException`, `SerializationException` (a malformed
 *   table name or resume key): 400,
 *   `ResourceNotFoundException`: 404, any other service error: 502.
 *
 * Errors are told apart by `name`, not `instanceof`: the SDK classes of the
 * client that threw may come from another copy of the package.
 */
export function httpErrorOf(error: unknown): HttpException | undefined {
  if (error instanceof HttpException) return error;
  if (error instanceof WaiterError) {
    const status =
      error.kind === 'timeout'
        ? HttpStatus.GATEWAY_TIMEOUT
        : error.kind === 'failure'
          ? HttpStatus.CONFLICT
          : serviceStatusOf(error.cause);
    return httpError(status, error.message, error, { kind: error.kind, attempts: error.attempts });
  }
  if (error instanceof PaginationError) {
    return httpError(HttpStatus.BAD_REQUEST, error.message, error, { kind: 'pagination' });
  }
  if (isServiceError(error)) return httpError(serviceStatusOf(error), `${error.name}: ${error.message}`, error);
  return undefined;
}

/**
 * A reason to abort requests with (`controller.abort(reason)`): rxjs-aws ends
 * what it aborts with this very error, so it is the HTTP error the request
 * ends with (503 when the app shuts down, 504 past a deadline), and a stream
 * already under way ends with an `aborted` event carrying the same body.
 */
export function abortReason(status: number, message: string): HttpException {
  return httpError(status, message, undefined, { kind: 'aborted' });
}

/** Answers with {@link httpErrorOf}, or as Nest does for anything else. */
@Catch()
export class AwsErrorsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(httpErrorOf(exception) ?? exception, host);
  }
}

function httpError(status: number, message: string, cause: unknown, extra: Record<string, unknown> = {}): HttpException {
  return new HttpException({ statusCode: status, error: STATUS_CODES[status], message, ...extra }, status, { cause });
}

/** An error the service answered with: SDK v3 service exceptions carry `$metadata`. */
function isServiceError(error: unknown): error is Error & { $metadata: object } {
  return error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === 'object';
}

function serviceStatusOf(error: unknown): number {
  const name = (error as { name?: unknown } | null)?.name;
  // Both mean that DynamoDB could not take the request; what varies in it here is the client's table name and token.
  if (name === 'ValidationException' || name === 'SerializationException') return HttpStatus.BAD_REQUEST;
  if (name === 'ResourceNotFoundException') return HttpStatus.NOT_FOUND;
  return HttpStatus.BAD_GATEWAY;
}
