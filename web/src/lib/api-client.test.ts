// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { apiRequest, ApiError, buildPath, getFieldErrors } from './api-client';

function stubFetch(response: Response) {
  const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(response);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('apiRequest', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the CSRF header on writes, same-origin credentials and a JSON body', async () => {
    const fetchMock = stubFetch(new Response(null, { status: 204 }));
    await apiRequest('/api/auth/sign-out', { method: 'POST', csrfToken: 'token-1', body: { a: 1 } });
    const init = fetchMock.mock.calls[0]?.[1];
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'X-CSRF-Token': 'token-1', 'Content-Type': 'application/json' });
    expect(init?.body).toBe('{"a":1}');
  });

  it('does not send the CSRF header on reads', async () => {
    const fetchMock = stubFetch(json(200, { ok: true }));
    await apiRequest('/api/health', { csrfToken: 'token-1' });
    expect(fetchMock.mock.calls[0]?.[1]?.headers).not.toHaveProperty('X-CSRF-Token');
  });

  it('parses the response with the given schema', async () => {
    stubFetch(json(200, { status: 'ok', extra: true }));
    await expect(apiRequest('/api/health', { schema: z.object({ status: z.string() }) })).resolves.toEqual({ status: 'ok' });
  });

  it('throws the server error as an ApiError with status, code, message and issues', async () => {
    stubFetch(
      json(400, {
        error: { code: 'validation_failed', message: 'Check the fields.', issues: [{ path: 'body.username', message: 'Required.' }] },
      }),
    );
    const error = await apiRequest('/api/auth/sign-in', { method: 'POST', body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Check the fields.' });
    expect(getFieldErrors(error)).toEqual({ username: 'Required.' });
  });

  it('answers a response that is not Bulwark JSON with a generic error', async () => {
    stubFetch(new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(apiRequest('/api/health')).rejects.toMatchObject({ status: 502, code: 'internal' });
  });

  it('turns a network failure into a readable error', async () => {
    vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(apiRequest('/api/health')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('buildPath', () => {
  it('leaves out empty values', () => {
    expect(buildPath('/api/accounts', { search: '', page: 2, sort: 'name', order: undefined })).toBe('/api/accounts?page=2&sort=name');
    expect(buildPath('/api/accounts', {})).toBe('/api/accounts');
  });
});
