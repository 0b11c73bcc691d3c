import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_STATUS, type ErrorBody, type ErrorCode, type ErrorIssue } from '../../common/errors.js';
import { AppError } from '../lib/app-error.js';
import { isTenablePath } from './paths.js';

function body(code: ErrorCode, message: string, issues?: ErrorIssue[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

const FASTIFY_CODES: Partial<Record<string, { code: ErrorCode; message: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'Request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Unsupported content type; send application/json.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', message: 'Request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'malformed_json', message: 'Request body is empty; send a JSON object.' },
};

/**
 * The one error handler. AppError gets its status; a validation failure gets 400 with each field
 * and reason; anything else is logged with the request id and answered 500 with no internal text.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.details.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.details.retryAfterSeconds));
      const sent = body(error.code, error.message, error.details.issues);
      if (error.details.reason !== undefined) sent.error.reason = error.details.reason;
      if (error.details.findings !== undefined) sent.error.findings = error.details.findings;
      return reply.status(ERROR_STATUS[error.code]).send(sent);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const issues = error.validation.map((issue) => ({
        path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'Invalid value',
      }));
      const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return reply.status(400).send(body('validation_failed', `Invalid request. ${summary}`, issues));
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return reply.status(ERROR_STATUS[known.code]).send(body(known.code, known.message));
    if (error instanceof SyntaxError || (error.statusCode === 400 && !error.code)) {
      return reply.status(400).send(body('malformed_json', 'Request body is not valid JSON.'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ err: error }, 'request refused');
      return reply.status(error.statusCode).send(body('validation_failed', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    if (isTenablePath(request.url)) {
      return reply.status(500).send({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'An internal server error occurred. Please wait a moment and try your request again.',
      });
    }
    return reply.status(500).send(body('internal', `An internal error occurred (request ${request.id}).`));
  });
}
