import type { z } from 'zod';
import { ErrorBody, type ErrorIssue } from '../../../common/errors.js';

/**
 * The one fetch client of the web app: JSON in and out, the session cookie sent same-origin, the
 * CSRF header on every write, and every failure thrown as an ApiError. It has no side effects of
 * its own: what a 401 means for the app is decided where the QueryClient is built.
 */

const NETWORK_FAILURE_MESSAGE = 'Could not reach Bulwark. Check your connection and try again.';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ErrorIssue[];

  constructor(status: number, code: string, message: string, issues: ErrorIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The message to show a person for any error a request can throw. */
export function getErrorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * Field errors from a validation failure, keyed by form field: an issue with path `body.username`
 * (or `username`) becomes `{ username: message }`.
 */
export function getFieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.replace(/^body\./, '');
    if (field && !field.includes('.') && fields[field] === undefined) fields[field] = issue.message;
  }
  return fields;
}

type QueryValue = string | number | boolean | null | undefined;

/** `/api/accounts` + `{ page: 2, search: '' }` -> `/api/accounts?page=2` (empty values left out). */
export function buildPath(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions<Schema extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Required by the server on every write made with the session cookie. */
  csrfToken?: string | null;
  /** Parses (and so types) the response body; omitted for responses without one. */
  schema?: Schema;
  signal?: AbortSignal;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    const { code, message, issues } = parsed.data.error;
    return new ApiError(status, code, message, issues ?? []);
  }
  return new ApiError(status, 'internal', `Bulwark answered with an unexpected error (HTTP ${status}). Try again.`);
}

export async function apiRequest<Schema extends z.ZodType = z.ZodUnknown>(
  path: string,
  options: RequestOptions<Schema> = {},
): Promise<z.infer<Schema>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && options.csrfToken) headers['X-CSRF-Token'] = options.csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', NETWORK_FAILURE_MESSAGE);
  }

  const body = await readJson(response);
  if (!response.ok) throw toApiError(response.status, body);
  if (!options.schema) return body as z.infer<Schema>;
  const parsed = options.schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(response.status, 'invalid_response', 'Bulwark answered in a form this page does not understand. Reload the page.');
  }
  return parsed.data;
}
