// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RUN_ERROR_ADVICE } from '../../../../../common/schemas/integrations.js';
import { installBrowserStubs, render } from '../../../test-utils/render';
import { IntegrationForm } from './integration-form';
import { makeIntegration, mockServer, TENABLE } from './test-fixtures';

/** jsdom lacks document.fonts, which the autosizing certificate box listens to. */
beforeAll(() => {
  installBrowserStubs();
  if (!('fonts' in document)) {
    Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
  }
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderForm(integration = undefined as ReturnType<typeof makeIntegration> | undefined) {
  const onSaved = vi.fn();
  render(<IntegrationForm connector={TENABLE} integration={integration} onSaved={onSaved} onCancel={() => undefined} />);
  return { onSaved };
}

/** No delay between keystrokes: the machine running the tests is often busy. */
const user = userEvent.setup({ delay: null });

const input = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;

/** Replaces a field's text the way a paste does (typing each key is slow on a busy machine). */
async function fill(label: RegExp, text: string): Promise<void> {
  await user.clear(input(label));
  await user.click(input(label));
  await user.paste(text);
}

describe('IntegrationForm', () => {
  it("generates the connector's fields: FQDN with its default, the keys as password inputs, the CA as a text area", async () => {
    mockServer({});
    renderForm();
    expect(input(/^FQDN/).value).toBe('cloud.tenable.com');
    expect(screen.getByText('Tenable.io API endpoint.')).toBeTruthy();
    expect(input(/^Client ID/).type).toBe('password');
    expect(input(/^API Secret/).type).toBe('password');
    expect(input(/^Client ID/).value).toBe('');
    expect(input(/^Custom CA certificate/).tagName).toBe('TEXTAREA');
    expect(input(/^Polling Interval/).value).toBe('30');
    // Advanced settings start collapsed; opening them shows the assets interval, empty (twice the Polling Interval).
    const advanced = screen.getByRole('button', { name: 'Advanced settings' });
    expect(advanced.getAttribute('aria-expanded')).toBe('false');
    await user.click(advanced);
    expect(advanced.getAttribute('aria-expanded')).toBe('true');
    expect(input(/^Assets interval/).value).toBe('');
    expect(screen.getByText('Empty: twice the Polling Interval (60 minutes).')).toBeTruthy();
    expect((input(/^Enabled/) as HTMLInputElement).checked).toBe(true);
  });

  it('checks the required fields before sending anything', async () => {
    const calls = mockServer({});
    renderForm();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Enter a name.')).toBeTruthy();
    expect(screen.getByText('Enter the Client ID.')).toBeTruthy();
    expect(screen.getByText('Enter the API Secret.')).toBeTruthy();
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it("creates with the values typed, and shows the server's field errors on their fields", async () => {
    const calls = mockServer({
      'POST /api/integrations': [
        400,
        {
          error: {
            code: 'validation_failed',
            message: 'Check the highlighted fields.',
            issues: [{ path: 'body.values.fqdn', message: 'Enter a host name or an http(s) base URL.' }],
          },
        },
      ],
    });
    renderForm();
    await fill(/^Name/, 'Tenable lab');
    await fill(/^FQDN/, 'http://127.0.0.1:8391');
    await fill(/^Client ID/, 'access-1');
    await fill(/^API Secret/, 'secret-1');
    await fill(/^Polling Interval/, '15');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Enter a host name or an http(s) base URL.')).toBeTruthy();
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
      connector: 'signal-client.tenable',
      name: 'Tenable lab',
      values: { fqdn: 'http://127.0.0.1:8391', accessKey: 'access-1', secretKey: 'secret-1' },
      pollingIntervalMinutes: 15,
      streamIntervals: {},
      enabled: true,
      targetAccountId: null,
    });
  });

  it('shows a name already taken (409) on the Name field', async () => {
    mockServer({ 'POST /api/integrations': [409, { error: { code: 'conflict', message: 'An integration named Tenable lab exists.' } }] });
    renderForm();
    await fill(/^Name/, 'Tenable lab');
    await fill(/^Client ID/, 'key');
    await fill(/^API Secret/, 'secret');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('An integration named Tenable lab exists.')).toBeTruthy();
    expect(input(/^Name/).getAttribute('aria-invalid')).toBe('true');
  });

  it('never prefills a saved secret: the mask is only a placeholder, and an empty secret is not sent', async () => {
    const integration = makeIntegration();
    const calls = mockServer({ 'PATCH /api/integrations/00000000-0000-4000-8000-0000000000aa': [200, integration] });
    const { onSaved } = renderForm(integration);
    expect(input(/^Name/).value).toBe('Tenable production');
    expect(input(/^FQDN/).value).toBe('cloud.tenable.com');
    expect(input(/^Client ID/).value).toBe('');
    expect(input(/^Client ID/).placeholder).toBe('••••1a2b');
    expect(input(/^API Secret/).value).toBe('');
    expect(input(/^API Secret/).placeholder).toBe('••••9f8e');
    expect(screen.getAllByText(/Leave empty to keep the saved value/)).toHaveLength(2);
    await fill(/^API Secret/, 'new-secret');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({
      name: 'Tenable production',
      values: { fqdn: 'cloud.tenable.com', secretKey: 'new-secret', caCertificate: '' },
      pollingIntervalMinutes: 30,
      streamIntervals: {},
      enabled: true,
      targetAccountId: '00000000-0000-4000-8000-0000000000bb',
    });
  });

  it("tests the connection with the form's values and shows the failure's title and advice", async () => {
    const calls = mockServer({
      'POST /api/integrations/test-connection': [
        200,
        { ok: false, message: 'The source answered 401 Unauthorized.', error: { kind: 'auth', ...RUN_ERROR_ADVICE.auth } },
      ],
    });
    renderForm();
    await fill(/^Client ID/, 'key');
    await fill(/^API Secret/, 'secret');
    await user.click(screen.getByRole('button', { name: 'Test Connection' }));
    expect(await screen.findByText(RUN_ERROR_ADVICE.auth.title)).toBeTruthy();
    expect(screen.getByText('The source answered 401 Unauthorized.')).toBeTruthy();
    for (const line of RUN_ERROR_ADVICE.auth.advice) expect(screen.getByText(line)).toBeTruthy();
    expect(calls.find((call) => call.path === '/api/integrations/test-connection')?.body).toEqual({
      connector: 'signal-client.tenable',
      integrationId: null,
      values: { fqdn: 'cloud.tenable.com', accessKey: 'key', secretKey: 'secret' },
    });
  });

  it('shows a successful test', async () => {
    mockServer({
      'POST /api/integrations/test-connection': [
        200,
        { ok: true, message: 'Connected to Bulwark 1.0 as carol@umbrella.example.', error: null },
      ],
    });
    renderForm();
    await user.click(screen.getByRole('button', { name: 'Test Connection' }));
    expect(await screen.findByText('Connection succeeded')).toBeTruthy();
    expect(screen.getByText('Connected to Bulwark 1.0 as carol@umbrella.example.')).toBeTruthy();
  });
});
