import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPngDimensions } from '../logos/png.js';
import { assignAccount, createAccount, createStaff, makePng } from '../../test/factories.js';
import { apiKeysHeaderFor, call, startListeningApp, type ListeningApp } from './mssp-api.test-support.js';

const FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' };
const MULTIPART_REFUSAL = { error: "request should be multipart and include a single 'name' part" };

let testApp: ListeningApp;
let adminKeys: string;
let staffKeys: string;
let accounts: { id: string }[];

beforeAll(async () => {
  testApp = await startListeningApp();
  const { ctx } = testApp;
  adminKeys = await apiKeysHeaderFor(testApp, await createStaff(ctx, { role: 64 }));
  const staff = await createStaff(ctx, { role: 40 });
  accounts = [await createAccount(ctx), await createAccount(ctx), await createAccount(ctx)];
  await assignAccount(ctx, staff.id, accounts[0]?.id ?? '');
  staffKeys = await apiKeysHeaderFor(testApp, staff);
});

afterAll(async () => {
  await testApp.close();
});

function logoForm(parts: { name?: string; logo?: Buffer; fileName?: string }): FormData {
  const form = new FormData();
  if (parts.name !== undefined) form.append('name', parts.name);
  if (parts.logo) form.append('logo', new Blob([new Uint8Array(parts.logo)], { type: 'image/png' }), parts.fileName ?? 'logo.png');
  return form;
}

async function addLogo(name: string, width = 246, height = 52): Promise<string> {
  const response = await call(testApp, 'POST', '/mssp/logos', {
    keys: adminKeys,
    body: logoForm({ name, logo: makePng(width, height), fileName: `${name}.png` }),
  });
  expect(response.status, response.text).toBe(200);
  return (response.json as { uuid: string }).uuid;
}

async function logoOfAccount(id: string): Promise<unknown> {
  const response = await call(testApp, 'GET', `/mssp/accounts/${id}`, { keys: adminKeys });
  return (response.json as { logo_uuid?: string }).logo_uuid;
}

describe('POST /mssp/logos', () => {
  it('accepts a 246 x 52 PNG and answers {"uuid"}', async () => {
    const response = await call(testApp, 'POST', '/mssp/logos', {
      keys: adminKeys,
      body: logoForm({ name: 'Largest', logo: makePng(246, 52), fileName: 'largest.png' }),
    });
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(response.json).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('refuses 247 x 52 and 246 x 53 with the actual size, and stores nothing', async () => {
    const before = (await call(testApp, 'GET', '/mssp/logos', { keys: adminKeys })).json;
    for (const [width, height] of [
      [247, 52],
      [246, 53],
    ] as const) {
      const response = await call(testApp, 'POST', '/mssp/logos', {
        keys: adminKeys,
        body: logoForm({ name: 'Too big', logo: makePng(width, height) }),
      });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ error: `The logo is ${width} x ${height} pixels; logos can be at most 246 x 52 pixels.` });
    }
    expect((await call(testApp, 'GET', '/mssp/logos', { keys: adminKeys })).json).toEqual(before);
  });

  it('refuses a file that is not a PNG, or a truncated one', async () => {
    const notPng = await call(testApp, 'POST', '/mssp/logos', {
      keys: adminKeys,
      body: logoForm({ name: 'Text', logo: Buffer.from('hello') }),
    });
    expect(notPng.status).toBe(400);
    expect(notPng.json).toEqual({ error: expect.stringContaining('not a PNG') });
    const png = makePng(10, 10);
    const truncated = await call(testApp, 'POST', '/mssp/logos', {
      keys: adminKeys,
      body: logoForm({ name: 'Cut', logo: png.subarray(0, png.length - 5) }),
    });
    expect(truncated.status).toBe(400);
    expect(truncated.json).toEqual({ error: expect.stringContaining('truncated') });
  });

  it("answers Tenable's multipart refusal without a name part or without multipart", async () => {
    const noName = await call(testApp, 'POST', '/mssp/logos', { keys: adminKeys, body: logoForm({ logo: makePng(5, 5) }) });
    expect(noName.status).toBe(400);
    expect(noName.json).toEqual(MULTIPART_REFUSAL);
    const json = await call(testApp, 'POST', '/mssp/logos', { keys: adminKeys, json: { name: 'x' } });
    expect(json.status).toBe(400);
    expect(json.json).toEqual(MULTIPART_REFUSAL);
  });

  it('refuses non-administrator keys with 403 Insufficient scope', async () => {
    const response = await call(testApp, 'POST', '/mssp/logos', { keys: staffKeys, body: logoForm({ name: 'Nope', logo: makePng(5, 5) }) });
    expect(response.status).toBe(403);
    expect(response.json).toEqual(FORBIDDEN);
  });
});

describe('reading, editing and deleting logos', () => {
  it('lists and reads logos in the Tenable shape', async () => {
    const id = await addLogo('Readable');
    const list = await call(testApp, 'GET', '/mssp/logos', { keys: adminKeys });
    expect(list.status).toBe(200);
    const logos = (list.json as { logos: Record<string, unknown>[] }).logos;
    const logo = logos.find((entry) => entry.uuid === id);
    expect(logo).toEqual({
      uuid: id,
      container_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Readable',
      filename: 'Readable.png',
    });
    // The portal's container is one and the same for every logo.
    expect(new Set(logos.map((entry) => entry.container_uuid)).size).toBe(1);
    const one = await call(testApp, 'GET', `/mssp/logos/${id}`, { keys: adminKeys });
    expect(one.json).toEqual(logo);
  });

  it('serves logo.png as image/png and logo.base64 as a text/plain data URL', async () => {
    const id = await addLogo('Bytes', 120, 30);
    const png = await fetch(`${testApp.baseUrl}/mssp/logos/${id}/logo.png`, { headers: { 'X-ApiKeys': adminKeys } });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(readPngDimensions(bytes)).toEqual({ width: 120, height: 30 });
    const base64 = await call(testApp, 'GET', `/mssp/logos/${id}/logo.base64`, { keys: adminKeys });
    expect(base64.status).toBe(200);
    expect(base64.contentType.toLowerCase()).toBe('text/plain;charset=utf-8');
    expect(base64.text).toBe(`data:image/png;base64,${bytes.toString('base64')}`);
  });

  it('renames and replaces a logo with PATCH, refusing a too large replacement', async () => {
    const id = await addLogo('Before');
    const renamed = await call(testApp, 'PATCH', `/mssp/logos/${id}`, {
      keys: adminKeys,
      body: logoForm({ name: 'After', logo: makePng(50, 20), fileName: 'after.png' }),
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toEqual({ uuid: id });
    expect((await call(testApp, 'GET', `/mssp/logos/${id}`, { keys: adminKeys })).json).toMatchObject({
      name: 'After',
      filename: 'after.png',
    });
    const tooLarge = await call(testApp, 'PATCH', `/mssp/logos/${id}`, {
      keys: adminKeys,
      body: logoForm({ name: 'Bigger', logo: makePng(247, 52) }),
    });
    expect(tooLarge.status).toBe(400);
    expect((await call(testApp, 'GET', `/mssp/logos/${id}`, { keys: adminKeys })).json).toMatchObject({ name: 'After' });
  });

  it("answers Tenable's 404 text for a missing logo on every logo path", async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const requests: [string, string, FormData | undefined][] = [
      ['GET', `/mssp/logos/${missing}`, undefined],
      ['PATCH', `/mssp/logos/${missing}`, logoForm({ name: 'x', logo: makePng(5, 5) })],
      ['DELETE', `/mssp/logos/${missing}`, undefined],
      ['GET', `/mssp/logos/${missing}/logo.png`, undefined],
      ['GET', `/mssp/logos/${missing}/logo.base64`, undefined],
      ['GET', '/mssp/logos/not-a-uuid', undefined],
    ];
    for (const [method, path, body] of requests) {
      const response = await call(testApp, method, path, { keys: adminKeys, body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.json.error).toMatch(/^logo with uuid \S+ not found on container [0-9a-f-]{36}$/);
      expect(response.contentType).toMatch(/^application\/json/);
    }
  });

  it('refuses every logo path to non-administrator keys', async () => {
    const id = await addLogo('Private');
    for (const [method, path] of [
      ['GET', '/mssp/logos'],
      ['GET', `/mssp/logos/${id}`],
      ['DELETE', `/mssp/logos/${id}`],
      ['GET', `/mssp/logos/${id}/logo.png`],
      ['GET', `/mssp/logos/${id}/logo.base64`],
    ] as const) {
      const response = await call(testApp, method, path, { keys: staffKeys });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.json).toEqual(FORBIDDEN);
    }
  });
});

describe('PUT /mssp/accounts/logos and DELETE /mssp/logos/{uuid}', () => {
  it('assigns a logo, removes it with null, and deleting the logo removes it from the accounts', async () => {
    const id = await addLogo('Assigned');
    const ids = accounts.map((account) => account.id);
    const assigned = await call(testApp, 'PUT', '/mssp/accounts/logos', { keys: adminKeys, json: { logo_uuid: id, account_uuids: ids } });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toEqual({});
    for (const accountId of ids) expect(await logoOfAccount(accountId)).toBe(id);

    const removed = await call(testApp, 'PUT', '/mssp/accounts/logos', {
      keys: adminKeys,
      json: { logo_uuid: null, account_uuids: [ids[0]] },
    });
    expect(removed.status).toBe(200);
    expect(await logoOfAccount(ids[0] ?? '')).toBeUndefined();
    expect(await logoOfAccount(ids[1] ?? '')).toBe(id);

    const deleted = await call(testApp, 'DELETE', `/mssp/logos/${id}`, { keys: adminKeys });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});
    expect(await logoOfAccount(ids[1] ?? '')).toBeUndefined();
    expect((await call(testApp, 'GET', `/mssp/logos/${id}`, { keys: adminKeys })).status).toBe(404);
  });

  it('answers 400 "logo_uuid was not found" for an unknown logo and changes nothing', async () => {
    const id = await addLogo('Kept');
    const accountId = accounts[2]?.id ?? '';
    await call(testApp, 'PUT', '/mssp/accounts/logos', { keys: adminKeys, json: { logo_uuid: id, account_uuids: [accountId] } });
    for (const unknown of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const response = await call(testApp, 'PUT', '/mssp/accounts/logos', {
        keys: adminKeys,
        json: { logo_uuid: unknown, account_uuids: [accountId] },
      });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ error: 'logo_uuid was not found' });
    }
    expect(await logoOfAccount(accountId)).toBe(id);
  });

  it('answers 404 for an unknown account, 400 for a bad body, and 403 for other staff', async () => {
    const id = await addLogo('Strict');
    const unknownAccount = await call(testApp, 'PUT', '/mssp/accounts/logos', {
      keys: adminKeys,
      json: { logo_uuid: id, account_uuids: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknownAccount.status).toBe(404);
    const badBody = await call(testApp, 'PUT', '/mssp/accounts/logos', { keys: adminKeys, json: { logo_uuid: id } });
    expect(badBody.status).toBe(400);
    expect(badBody.json).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('account_uuids') });
    const staff = await call(testApp, 'PUT', '/mssp/accounts/logos', {
      keys: staffKeys,
      json: { logo_uuid: id, account_uuids: [accounts[0]?.id] },
    });
    expect(staff.status).toBe(403);
    expect(staff.json).toEqual(FORBIDDEN);
  });
});
