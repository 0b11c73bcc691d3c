import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, makePng, signIn, type SignedIn } from '../../test/factories.js';

/** A multipart/form-data body, as a browser's FormData would send it. */
function multipart(fields: { name?: string; file?: { fileName: string; bytes: Buffer } }) {
  const boundary = `----bulwark${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  if (fields.name !== undefined) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${fields.name}\r\n`));
  }
  if (fields.file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fields.file.fileName}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      fields.file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('logos', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(() => t.close());

  const upload = (method: 'POST' | 'PATCH', url: string, fields: Parameters<typeof multipart>[0], session = admin) => {
    const { payload, contentType } = multipart(fields);
    return t.app.inject({ method, url, headers: { ...session.writeHeaders, 'content-type': contentType }, payload });
  };
  const countLogos = async () => (await t.ctx.db.selectFrom('logos').select('id').execute()).length;

  it('adds a 246 x 52 PNG, lists it, and serves its image privately', async () => {
    const png = makePng(246, 52);
    const response = await upload('POST', '/api/logos', { name: 'Acme blue', file: { fileName: 'acme.png', bytes: png } });
    expect(response.statusCode).toBe(201);
    const logo = response.json();
    expect(logo).toMatchObject({ name: 'Acme blue', fileName: 'acme.png', width: 246, height: 52, sizeBytes: png.length, accountCount: 0 });
    const list = (await t.app.inject({ method: 'GET', url: '/api/logos', headers: { cookie: admin.cookie } })).json();
    expect(list.items.map((item: { id: string }) => item.id)).toContain(logo.id);
    const image = await t.app.inject({ method: 'GET', url: `/api/logos/${logo.id}/image`, headers: { cookie: admin.cookie } });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['cache-control']).toMatch(/^private/);
    expect(image.rawPayload.equals(png)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/logos/${logo.id}/image` })).statusCode).toBe(401);
  });

  it('refuses a file that is not a PNG, a truncated PNG, 247 x 52, 246 x 53, a huge file and a missing name, changing nothing', async () => {
    const before = await countLogos();
    const refuse = async (fields: Parameters<typeof multipart>[0], message: string) => {
      const response = await upload('POST', '/api/logos', fields);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain(message);
    };
    await refuse(
      { name: 'Wide', file: { fileName: 'wide.png', bytes: makePng(247, 52) } },
      'The logo is 247 x 52 pixels; logos can be at most 246 x 52 pixels.',
    );
    await refuse(
      { name: 'Tall', file: { fileName: 'tall.png', bytes: makePng(246, 53) } },
      'The logo is 246 x 53 pixels; logos can be at most 246 x 52 pixels.',
    );
    await refuse(
      { name: 'Gif', file: { fileName: 'logo.png', bytes: Buffer.from('GIF89a not a png at all') } },
      'The file is not a PNG image.',
    );
    const png = makePng(100, 40);
    await refuse(
      { name: 'Cut', file: { fileName: 'cut.png', bytes: png.subarray(0, png.length - 5) } },
      'The PNG file is truncated or damaged.',
    );
    await refuse({ name: 'Huge', file: { fileName: 'huge.png', bytes: Buffer.alloc(1024 * 1024 + 10, 1) } }, 'logos can be at most 1 MiB');
    await refuse({ name: '  ', file: { fileName: 'ok.png', bytes: png } }, 'Enter a name for the logo.');
    await refuse({ name: 'No file' }, 'Add a PNG file');
    const json = await t.app.inject({ method: 'POST', url: '/api/logos', headers: admin.writeHeaders, payload: { name: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(await countLogos()).toBe(before);
  });

  it('renames, replaces the file, assigns to accounts, removes with (No Logo), and deletes from every account', async () => {
    const logo = (await upload('POST', '/api/logos', { name: 'Globex', file: { fileName: 'globex.png', bytes: makePng(120, 30) } })).json();
    const renamed = await upload('PATCH', `/api/logos/${logo.id}`, { name: 'Globex red' });
    expect(renamed.json()).toMatchObject({ name: 'Globex red', fileName: 'globex.png' });
    const replaced = await upload('PATCH', `/api/logos/${logo.id}`, { file: { fileName: 'globex-2.png', bytes: makePng(200, 50) } });
    expect(replaced.json()).toMatchObject({ name: 'Globex red', fileName: 'globex-2.png', width: 200, height: 50 });
    expect((await upload('PATCH', `/api/logos/${logo.id}`, { file: { fileName: 'w.png', bytes: makePng(300, 50) } })).statusCode).toBe(400);

    const accounts = await Promise.all([createAccount(t.ctx), createAccount(t.ctx), createAccount(t.ctx)]);
    const accountIds = accounts.map((account) => account.id);
    const assign = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/accounts/logo', headers: admin.writeHeaders, payload });
    const assigned = await assign({ logoId: logo.id, accountIds });
    expect(assigned.json()).toEqual({ message: 'Logo assigned to all selected accounts', updatedCount: 3 });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/logos/${logo.id}`, headers: { cookie: admin.cookie } })).json().accountCount,
    ).toBe(3);
    const removed = await assign({ logoId: null, accountIds: [accountIds[0]] });
    expect(removed.json().message).toBe('Logo assigned to all selected accounts');
    const list = (await t.app.inject({ method: 'GET', url: '/api/accounts?pageSize=200', headers: { cookie: admin.cookie } })).json();
    const logoOf = (id: string | undefined) => list.items.find((item: { id: string }) => item.id === id)?.logoId;
    expect([logoOf(accountIds[0]), logoOf(accountIds[1]), logoOf(accountIds[2])]).toEqual([null, logo.id, logo.id]);
    // All or nothing: one unknown account refuses the whole assignment.
    expect((await assign({ logoId: logo.id, accountIds: [accountIds[0], crypto.randomUUID()] })).statusCode).toBe(404);
    expect((await assign({ logoId: crypto.randomUUID(), accountIds })).statusCode).toBe(404);

    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/logos/${logo.id}`, headers: admin.writeHeaders });
    expect(deleted.statusCode).toBe(204);
    const after = await t.ctx.db.selectFrom('customer_accounts').select('logo_id').where('id', 'in', accountIds).execute();
    expect(after.every((row) => row.logo_id === null)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/logos/${logo.id}/image`, headers: { cookie: admin.cookie } })).statusCode).toBe(
      404,
    );
    const actions = await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', logo.id).execute();
    expect(actions.map((row) => row.action)).toEqual(
      expect.arrayContaining(['logo.created', 'logo.edited', 'logo.assigned', 'logo.deleted']),
    );
  });

  it('lets other staff see only the logos of their accounts (cross-tenant 404) and refuses them logo management (role)', async () => {
    const logo = (await upload('POST', '/api/logos', { name: 'Shared', file: { fileName: 's.png', bytes: makePng(10, 10) } })).json();
    const other = (await upload('POST', '/api/logos', { name: 'Other', file: { fileName: 'o.png', bytes: makePng(10, 10) } })).json();
    const mine = await createAccount(t.ctx);
    const theirs = await createAccount(t.ctx);
    await t.app.inject({
      method: 'PUT',
      url: '/api/accounts/logo',
      headers: admin.writeHeaders,
      payload: { logoId: logo.id, accountIds: [mine.id] },
    });
    await t.app.inject({
      method: 'PUT',
      url: '/api/accounts/logo',
      headers: admin.writeHeaders,
      payload: { logoId: other.id, accountIds: [theirs.id] },
    });
    const analyst = await createStaff(t.ctx, { role: 32 });
    await assignAccount(t.ctx, analyst.id, mine.id);
    const session = await signIn(t.app, analyst.username);
    const image = (id: string) => t.app.inject({ method: 'GET', url: `/api/logos/${id}/image`, headers: { cookie: session.cookie } });
    expect((await image(logo.id)).statusCode).toBe(200);
    expect((await image(other.id)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/logos', headers: { cookie: session.cookie } })).statusCode).toBe(403);
    expect(
      (await upload('POST', '/api/logos', { name: 'Mine', file: { fileName: 'm.png', bytes: makePng(10, 10) } }, session)).statusCode,
    ).toBe(403);
    const assign = await t.app.inject({
      method: 'PUT',
      url: '/api/accounts/logo',
      headers: session.writeHeaders,
      payload: { logoId: null, accountIds: [mine.id] },
    });
    expect(assign.statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/logos/${crypto.randomUUID()}`, headers: admin.writeHeaders })).statusCode,
    ).toBe(404);
  });

  it("shows a contact their own account's logo (their instance's header) and no other (404)", async () => {
    const logo = (await upload('POST', '/api/logos', { name: 'Contact own', file: { fileName: 'c.png', bytes: makePng(12, 12) } })).json();
    const other = (
      await upload('POST', '/api/logos', { name: 'Contact other', file: { fileName: 'd.png', bytes: makePng(12, 12) } })
    ).json();
    const own = await createAccount(t.ctx);
    const foreign = await createAccount(t.ctx);
    for (const [logoId, accountId] of [
      [logo.id, own.id],
      [other.id, foreign.id],
    ]) {
      await t.app.inject({
        method: 'PUT',
        url: '/api/accounts/logo',
        headers: admin.writeHeaders,
        payload: { logoId, accountIds: [accountId] },
      });
    }
    const contact = await createContact(t.ctx, own.id);
    const session = await signIn(t.app, contact.username);
    const image = (id: string) => t.app.inject({ method: 'GET', url: `/api/logos/${id}/image`, headers: { cookie: session.cookie } });
    expect((await image(logo.id)).statusCode).toBe(200);
    expect((await image(other.id)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/logos', headers: { cookie: session.cookie } })).statusCode).toBe(403);
  });
});
