import type { ErrorCode, ErrorIssue } from '../../common/errors.js';

/** The one error type services throw; the error handler maps its code to a status. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      issues?: ErrorIssue[];
      retryAfterSeconds?: number;
      /** ineligible (Support): why. */
      reason?: string;
      /** secret_detected (Support): what looked like a secret, masked. */
      findings?: { kind: string; preview: string; start: number; end: number }[];
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function notFound(what = 'Resource'): AppError {
  return new AppError('not_found', `${what} not found.`);
}

/** A 400 naming each bad field, worded as the error handler words a schema's validation failure. */
export function validationFailed(issues: ErrorIssue[]): AppError {
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new AppError('validation_failed', `Invalid request. ${summary}`, { issues });
}
