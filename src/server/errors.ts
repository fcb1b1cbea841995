import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

/** Where the server writes its log lines (the connection's console in production). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type Handler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

/**
 * The one error wrapper every request handler goes through: a cancelled request answers
 * RequestCancelled, a ResponseError thrown by the handler (e.g. InvalidParams) is the answer,
 * any other exception becomes RequestFailed with its message only, and one log line with the
 * stack (stack frames and file paths stay in the log, never in the answer). Never a crash.
 */
export function lspHandler<P, R>(log: Logger, name: string, fn: Handler<P, R>): Handler<P, R | ResponseError<void>> {
  return async (params, token) => {
    if (token.isCancellationRequested) return cancelled();
    try {
      const result = await fn(params, token);
      return token.isCancellationRequested ? cancelled() : result;
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<void>;
      log.error(`${name} failed: ${describeError(error)}`);
      return new ResponseError(
        LSPErrorCodes.RequestFailed,
        `${name} failed: ${errorMessage(error)} (details in the OOMScope server log)`,
      );
    }
  };
}

/** The same guarantee for notifications: an exception is logged, never thrown into the connection. */
export function lspNotificationHandler<P>(
  log: Logger,
  name: string,
  fn: (params: P) => void | Promise<void>,
): (params: P) => void {
  return (params) => {
    try {
      const pending = fn(params);
      if (pending) pending.catch((error: unknown) => log.error(`${name} failed: ${describeError(error)}`));
    } catch (error) {
      log.error(`${name} failed: ${describeError(error)}`);
    }
  };
}

/** Answer for request parameters the handler cannot read (the message says what it needs). */
export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** An error for the server log: its message and first stack frames, on one line. */
export function describeError(error: unknown): string {
  if (error instanceof Error)
    return (
      error.stack
        ?.split('\n')
        .slice(0, 4)
        .map((l) => l.trim())
        .join(' | ') ?? error.message
    );
  return String(error);
}

/** An error for an answer to the client: the first line of its message, without stack frames. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0] ?? '';
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}
