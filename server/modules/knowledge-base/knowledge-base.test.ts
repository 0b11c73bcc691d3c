import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../common/permissions.js';
import type { SaveKbArticleBody } from '../../../common/schemas/knowledge-base.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { suggestArticles, toAnyWordQuery } from './knowledge-base.service.js';

const VM = 'Tenable.io Vulnerability Management';
const WAS = 'Tenable.io Web App Scanning';

function article(overrides: Partial<SaveKbArticleBody> & Pick<SaveKbArticleBody, 'slug' | 'title'>): SaveKbArticleBody {
  return { summary: '', body: 'Steps that help.', product: null, audience: 'signed_in', isPublished: true, ...overrides };
}

describe('knowledge base', () => {
  let t: TestApp;
  let agent: SignedIn;
  let administrator: SignedIn;
  let contact: SignedIn;
  let contactUserId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    agent = await signIn(t.app, (await createStaff(t.ctx, { role: 32, isSupportAgent: true })).username);
    administrator = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
    const account = await createAccount(t.ctx);
    const contactRow = await createContact(t.ctx, account.id);
    contactUserId = contactRow.id;
    contact = await signIn(t.app, contactRow.username);
  });
  afterAll(() => t.close());

  const create = (body: object, who: SignedIn = agent) =>
    t.app.inject({ method: 'POST', url: '/api/kb/articles', payload: body, headers: who.writeHeaders });
  const update = (id: string, body: object, who: SignedIn = agent) =>
    t.app.inject({ method: 'PUT', url: `/api/kb/articles/${id}`, payload: body, headers: who.writeHeaders });
  const remove = (id: string, who: SignedIn = agent) =>
    t.app.inject({ method: 'DELETE', url: `/api/kb/articles/${id}`, headers: who.writeHeaders });
  const read = (slug: string, who?: SignedIn) =>
    t.app.inject({ method: 'GET', url: `/api/kb/pages/${slug}`, headers: who ? { cookie: who.cookie } : {} });
  const search = (query: string, who: SignedIn = contact) =>
    t.app.inject({ method: 'GET', url: `/api/kb/search?${query}`, headers: { cookie: who.cookie } });
  const slugsOf = (response: { json(): { items: { slug: string }[] } }) => response.json().items.map((item) => item.slug);

  describe('ranked search', () => {
    beforeAll(async () => {
      for (const body of [
        // Mentions the words in its body only, several times: must still rank below the title match.
        article({
          slug: 'scanner-performance',
          title: 'Scanner performance tuning',
          body: 'A slow scan import can follow a large scan. Import the scan again after the scan import queue drains.',
          product: VM,
        }),
        article({ slug: 'scan-import-errors', title: 'Scan import errors', body: 'Check the file is a .nessus export.', product: VM }),
        article({ slug: 'was-crawl-import', title: 'Web application crawl failures', body: 'Retry the scan import.', product: WAS }),
        article({ slug: 'draft-import-notes', title: 'Scan import draft', isPublished: false }),
      ]) {
        expect((await create(body)).statusCode).toBe(201);
      }
    });

    it('ranks the article whose title matches first', async () => {
      const response = await search('q=scan%20import');
      expect(response.statusCode).toBe(200);
      const slugs = slugsOf(response);
      expect(slugs[0]).toBe('scan-import-errors');
      expect(slugs).toContain('scanner-performance');
      expect(slugs.indexOf('scan-import-errors')).toBeLessThan(slugs.indexOf('scanner-performance'));
    });

    it('narrows to the product and to articles about no product', async () => {
      expect(slugsOf(await search('q=scan%20import'))).toContain('was-crawl-import');
      const narrowed = slugsOf(await search(`q=scan%20import&product=${encodeURIComponent(VM)}`));
      expect(narrowed).not.toContain('was-crawl-import');
      expect(narrowed).toEqual(expect.arrayContaining(['scan-import-errors', 'scanner-performance']));
    });

    it('hides unpublished articles from contacts but not from agents', async () => {
      expect(slugsOf(await search('q=draft'))).toEqual([]);
      expect(slugsOf(await search('q=draft', agent))).toEqual(['draft-import-notes']);
      expect((await read('draft-import-notes', contact)).statusCode).toBe(404);
      expect((await read('draft-import-notes', agent)).statusCode).toBe(200);
    });

    it('suggests articles for a case subject when any of its words match', async () => {
      const contactActor: Actor = {
        userId: contactUserId,
        username: 'contact@customer.example',
        kind: 'contact',
        role: 32,
        isSupportAgent: false,
        canManageCases: true,
        isPrimaryContact: false,
        assignedAccountIds: [],
      };
      const suggestions = await suggestArticles(
        { ...t.ctx, actor: contactActor },
        { subject: 'My nessus import keeps failing', product: VM, limit: 5 },
      );
      expect(suggestions.map((item) => item.slug)[0]).toBe('scan-import-errors');
      expect(suggestions.map((item) => item.slug)).not.toContain('was-crawl-import');
      expect(suggestions.map((item) => item.slug)).not.toContain('draft-import-notes');
      expect(await suggestArticles(t.ctx, { subject: '!!! ??', product: null, limit: 5 })).toEqual([]);
    });

    it('refuses a search without words and anonymous searches', async () => {
      expect((await search('q=')).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: '/api/kb/search?q=scan' })).statusCode).toBe(401);
    });
  });

  describe('reading', () => {
    it('lets anonymous visitors read the published public guides', async () => {
      for (const slug of ['customer-care-guide', 'technical-support-guide']) {
        const response = await read(slug);
        expect(response.statusCode, slug).toBe(200);
        expect(response.json()).toMatchObject({ slug, audience: 'public', isPublished: true });
      }
      expect((await read('technical-support-guide')).json().body).toContain('FedRAMP');
    });

    it('answers 404 to anonymous visitors for a signed-in article, which signed-in users read', async () => {
      expect((await create(article({ slug: 'sso-troubleshooting', title: 'Single sign-on troubleshooting' }))).statusCode).toBe(201);
      expect((await read('sso-troubleshooting')).statusCode).toBe(404);
      expect((await read('sso-troubleshooting', contact)).statusCode).toBe(200);
      expect((await read('no-such-article')).statusCode).toBe(404);
    });
  });

  describe('editing', () => {
    it('lets agents create, update and delete articles, each audited', async () => {
      const created = await create(article({ slug: 'licence-counts', title: 'Licence counts', product: VM }));
      expect(created.statusCode).toBe(201);
      const id: string = created.json().id;
      const updated = await update(id, article({ slug: 'licensed-asset-counts', title: 'Licensed asset counts', product: VM }));
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({ slug: 'licensed-asset-counts', title: 'Licensed asset counts' });
      expect((await t.app.inject({ method: 'GET', url: '/api/kb/articles', headers: { cookie: agent.cookie } })).json().items).toEqual(
        expect.arrayContaining([expect.objectContaining({ id, slug: 'licensed-asset-counts' })]),
      );
      expect((await remove(id)).statusCode).toBe(204);
      expect((await read('licensed-asset-counts', agent)).statusCode).toBe(404);

      const events = await t.ctx.db
        .selectFrom('audit_events')
        .select(['action', 'details', 'actor_user_id'])
        .where('target_id', '=', id)
        .orderBy('at')
        .execute();
      expect(events.map((event) => event.action)).toEqual(['kb.article_created', 'kb.article_updated', 'kb.article_deleted']);
      expect(events[1]?.details).toEqual({ slug: 'licensed-asset-counts', title: 'Licensed asset counts', previousSlug: 'licence-counts' });
      expect(events.every((event) => event.actor_user_id === agent.session.user.id)).toBe(true);
    });

    it('refuses a taken slug with 409', async () => {
      const taken = await create(article({ slug: 'customer-care-guide', title: 'Copy' }));
      expect(taken.statusCode).toBe(409);
    });

    it('keeps the guides deletable by nobody and public and published', async () => {
      const guide = (await read('customer-care-guide', agent)).json();
      expect((await remove(guide.id)).statusCode).toBe(409);
      const { id, createdAt, updatedAt, ...fields } = guide;
      expect([id, createdAt, updatedAt]).toHaveLength(3);
      expect((await update(guide.id, { ...fields, isPublished: false })).statusCode).toBe(409);
      expect((await update(guide.id, { ...fields, slug: 'care' })).statusCode).toBe(409);
      expect((await update(guide.id, { ...fields, body: `${fields.body}\nUpdated.` })).statusCode).toBe(200);
    });

    it('refuses bad input with 400 and changes nothing', async () => {
      for (const body of [
        article({ slug: 'Bad Slug', title: 'x' }),
        article({ slug: 'ok-slug', title: '' }),
        { ...article({ slug: 'ok-slug', title: 'x' }), audience: 'everyone' },
        { slug: 'ok-slug' },
      ]) {
        expect((await create(body)).statusCode, JSON.stringify(body)).toBe(400);
      }
      expect((await read('ok-slug', agent)).statusCode).toBe(404);
      expect((await update('not-a-uuid', article({ slug: 'ok-slug', title: 'x' }))).statusCode).toBe(400);
      expect((await update(crypto.randomUUID(), article({ slug: 'ok-slug', title: 'x' }))).statusCode).toBe(404);
    });

    it('refuses staff who are not support agents, contacts and anonymous callers', async () => {
      const guide = (await read('customer-care-guide', agent)).json();
      for (const who of [administrator, contact]) {
        expect((await t.app.inject({ method: 'GET', url: '/api/kb/articles', headers: { cookie: who.cookie } })).statusCode).toBe(403);
        expect((await create(article({ slug: 'intruder', title: 'x' }), who)).statusCode).toBe(403);
        expect((await update(guide.id, article({ slug: 'intruder', title: 'x' }), who)).statusCode).toBe(403);
        expect((await remove(guide.id, who)).statusCode).toBe(403);
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/kb/articles' })).statusCode).toBe(401);
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/kb/articles', payload: article({ slug: 'intruder', title: 'x' }) })).statusCode,
      ).toBe(401);
    });
  });
});

describe('toAnyWordQuery', () => {
  it('joins the words with or and drops punctuation and websearch operators', () => {
    expect(toAnyWordQuery('Agent "won\'t" link -- OR fails!')).toBe('Agent or won or t or link or fails');
    expect(toAnyWordQuery('  ')).toBe('');
  });
});
