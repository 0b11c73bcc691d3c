import crypto from 'node:crypto';

/** Bulwark's session cookie, as the server names it. */
export const SESSION_COOKIE = 'bulwark_session';

export interface Administrator {
  name: string;
  username: string;
  email: string;
  password: string;
}

/** A first Administrator with a unique username and an Email distinct from it. */
export function makeAdministrator(): Administrator {
  const id = crypto.randomBytes(4).toString('hex');
  return {
    name: 'Ada Lovelace',
    username: `ada.${id}@mssp.example`,
    email: `ada.lovelace.${id}@mail.example`,
    password: 'Correct-Horse-42!',
  };
}

export interface ApiResponse {
  status: number;
  body: unknown;
  /** The session cookie value the response set, if any (an empty string when it cleared it). */
  sessionCookie: string | undefined;
}

function readSessionCookie(response: Response): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const separator = pair?.indexOf('=') ?? -1;
    if (pair && separator > 0 && pair.slice(0, separator).trim() === SESSION_COOKIE) return decodeURIComponent(pair.slice(separator + 1));
  }
  return undefined;
}

/** One JSON call to Bulwark's API as a script would make it (no browser). */
export async function callApi(
  baseUrl: string,
  method: 'GET' | 'POST',
  apiPath: string,
  options: { body?: unknown; sessionCookie?: string; csrfToken?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.sessionCookie !== undefined) headers.cookie = `${SESSION_COOKIE}=${encodeURIComponent(options.sessionCookie)}`;
  if (options.csrfToken !== undefined) headers['x-csrf-token'] = options.csrfToken;
  const response = await fetch(new URL(apiPath, baseUrl), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text for the failure message.
  }
  return { status: response.status, body, sessionCookie: readSessionCookie(response) };
}

export interface ApiSession {
  sessionCookie: string;
  csrfToken: string;
}

function toApiSession(response: ApiResponse, what: string): ApiSession {
  const body = response.body as { csrfToken?: unknown } | null;
  if (response.status >= 300 || !response.sessionCookie || typeof body?.csrfToken !== 'string') {
    throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { sessionCookie: response.sessionCookie, csrfToken: body.csrfToken };
}

/** Creates the first Administrator with the token of the logged setup link (POST /api/setup). */
export async function createAdministratorThroughApi(baseUrl: string, setupLink: string, admin: Administrator): Promise<ApiSession> {
  const token = new URL(setupLink).searchParams.get('token');
  if (!token) throw new Error(`The setup link has no token: ${setupLink}`);
  const response = await callApi(baseUrl, 'POST', '/api/setup', {
    body: { token, name: admin.name, username: admin.username, email: admin.email, password: admin.password },
  });
  return toApiSession(response, 'POST /api/setup');
}

export async function signInThroughApi(
  baseUrl: string,
  credentials: { username: string; password: string; rememberMe?: boolean },
): Promise<ApiSession> {
  const response = await callApi(baseUrl, 'POST', '/api/auth/sign-in', {
    body: { username: credentials.username, password: credentials.password, rememberMe: credentials.rememberMe ?? false },
  });
  return toApiSession(response, 'POST /api/auth/sign-in');
}

export interface AuditEvent {
  action: string;
  outcome: string;
  actorUsername: string | null;
  details: Record<string, unknown>;
}

/** GET /api/audit-events as an Administrator. */
export async function listAuditEvents(baseUrl: string, session: ApiSession, query: Record<string, string>): Promise<AuditEvent[]> {
  const response = await callApi(baseUrl, 'GET', `/api/audit-events?${new URLSearchParams(query).toString()}`, {
    sessionCookie: session.sessionCookie,
  });
  if (response.status !== 200) throw new Error(`GET /api/audit-events failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { items: AuditEvent[] }).items;
}
