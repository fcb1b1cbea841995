import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

/** Where the server writes its log lines (the connection's console in production). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type Handler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

/**
 * The one error wrapper every request handler goes through: a cancelled request answers
 * RequestCancelled, an exception becomes a ResponseError and one log line (never a crash).
 */
export function lspHandler<P, R>(log: Logger, name: string, fn: Handler<P, R>): Handler<P, R | ResponseError<void>> {
  return async (params, token) => {
    if (token.isCancellationRequested) return cancelled();
    try {
      const result = await fn(params, token);
      return token.isCancellationRequested ? cancelled() : result;
    } catch (error) {
      const message = describeError(error);
      log.error(`${name} failed: ${message}`);
      return new ResponseError(LSPErrorCodes.RequestFailed, `${name} failed: ${message}`);
    }
  };
}

/** The same guarantee for notifications: an exception is logged, never thrown into the connection. */
export function lspNotificationHandler<P>(log: Logger, name: string, fn: (params: P) => void | Promise<void>): (params: P) => void {
  return (params) => {
    try {
      const pending = fn(params);
      if (pending) pending.catch((error: unknown) => log.error(`${name} failed: ${describeError(error)}`));
    } catch (error) {
      log.error(`${name} failed: ${describeError(error)}`);
    }
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack?.split('\n').slice(0, 3).join(' | ') ?? error.message;
  return String(error);
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}
