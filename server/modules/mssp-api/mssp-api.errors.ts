import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_STATUS } from '../../../common/errors.js';
import { AppError } from '../../lib/app-error.js';

/**
 * Error bodies of the Tenable-compatible API (tenable-api.md 1.4). Bulwark's own
 * `{error:{code,message}}` never leaves these paths: scripts written for Tenable read these shapes.
 */
export const TENABLE_FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' } as const;
export const TENABLE_NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'Not Found' } as const;
export const TENABLE_INTERNAL = {
  statusCode: 500,
  error: 'Internal Server Error',
  message: 'An internal server error occurred. Please wait a moment and try your request again.',
} as const;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

/** An error whose status and body the Tenable contract fixes word for word. */
export class TenableError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.error === 'string' ? body.error : `HTTP ${statusCode}`);
    this.name = 'TenableError';
  }
}

/** `{"statusCode":N,"error":"<reason>","message":"..."}`, the shape Tenable's gateway answers. */
export function gatewayBody(statusCode: number, message: string): Record<string, unknown> {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message };
}

/** A service's AppError in Tenable's words: the status stays, the body takes Tenable's shape. */
function bodyOfAppError(error: AppError): { status: number; body: Record<string, unknown> } {
  const status = ERROR_STATUS[error.code];
  if (status === 403) return { status, body: TENABLE_FORBIDDEN };
  if (status === 404) return { status, body: TENABLE_NOT_FOUND };
  if (status === 500) return { status, body: TENABLE_INTERNAL };
  // Tenable answers most refused input with {"error":"<text>"} (1.4); the text says why.
  if (status === 400) return { status, body: { error: error.message } };
  return { status, body: gatewayBody(status, error.message) };
}

/**
 * The error handler of the Tenable-compatible routes, set in their encapsulated context so it
 * never touches Bulwark's own API. Anything unexpected is logged and answered 500 without internals.
 */
export function tenableErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.type('application/json; charset=utf-8');
  if (error instanceof TenableError) return reply.status(error.statusCode).send(error.body);
  if (error instanceof AppError) {
    if (error.details.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.details.retryAfterSeconds));
    const { status, body } = bodyOfAppError(error);
    return reply.status(status).send(body);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const issues = error.validation.map((issue) => ({
      field: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'Invalid value',
    }));
    const message = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    return reply.status(400).send({ ...gatewayBody(400, message), validation: { source: where, issues } });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    request.log.info({ err: error }, 'request refused');
    const message =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'Request body is not valid JSON.' : error.message;
    return reply.status(error.statusCode).send(gatewayBody(error.statusCode, message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(TENABLE_INTERNAL);
}
