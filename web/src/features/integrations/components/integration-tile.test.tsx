// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_DATA_CHECKS, RUN_ERROR_ADVICE } from '../../../../../common/schemas/integrations.js';
import { installBrowserStubs, render } from '../../../test-utils/render';
import { IntegrationTile } from './integration-tile';
import { makeIntegration, makeStream, NOW } from './test-fixtures';

beforeAll(installBrowserStubs);
afterEach(cleanup);

function indicatorOf(tile: HTMLElement): HTMLElement {
  // The first indicator is the integration's; each stream row has its own after it.
  return within(tile).getAllByTestId('health-indicator')[0] as HTMLElement;
}

describe('IntegrationTile', () => {
  it('is green when every stream succeeded, with last and next run and the records fetched', () => {
    render(<IntegrationTile integration={makeIntegration()} now={NOW} isLinked />);
    const tile = screen.getByRole('article', { name: 'Integration Tenable production' });
    expect(indicatorOf(tile).dataset.color).toBe('green');
    expect(within(indicatorOf(tile)).getByText('Healthy')).toBeTruthy();
    expect(within(tile).getByRole('link', { name: 'Tenable production' }).getAttribute('href')).toBe(
      '/settings/integrations/00000000-0000-4000-8000-0000000000aa',
    );
    expect(within(tile).getByText('signal-client.tenable')).toBeTruthy();
    const streams = within(tile).getByRole('table', { name: 'Streams of Tenable production' });
    expect(within(streams).getAllByText('5 minutes ago')).toHaveLength(2);
    expect(within(streams).getAllByText('in 25 minutes')).toHaveLength(2);
    expect(within(streams).getByTestId('fetched-vulnerabilities').textContent).toBe('42 fetched by the last run,1,204 in total');
    expect(within(streams).getByTestId('fetched-assets').textContent).toBe('3 fetched by the last run,3 in total');
    expect(within(tile).queryByRole('alert')).toBeNull();
    expect(within(tile).queryByText('No data appearing?')).toBeNull();
  });

  it("is red with the seed's advice when authentication failed", () => {
    const integration = makeIntegration({
      health: 'failing',
      streams: [
        makeStream({
          name: 'vulnerabilities',
          label: 'Vulnerabilities',
          health: 'failing',
          lastError: { kind: 'auth', message: 'The source answered 401 Unauthorized.' },
        }),
        makeStream({
          name: 'assets',
          label: 'Assets',
          health: 'failing',
          lastError: { kind: 'auth', message: 'The source answered 401.' },
        }),
      ],
    });
    render(<IntegrationTile integration={integration} now={NOW} />);
    const tile = screen.getByRole('article', { name: 'Integration Tenable production' });
    expect(indicatorOf(tile).dataset.color).toBe('red');
    expect(within(indicatorOf(tile)).getByText('Failing')).toBeTruthy();
    // One message per kind of failure, naming the streams it hit.
    expect(within(tile).getAllByText(RUN_ERROR_ADVICE.auth.title)).toHaveLength(1);
    expect(within(tile).getByText('Vulnerabilities, Assets: The source answered 401 Unauthorized.')).toBeTruthy();
    for (const line of RUN_ERROR_ADVICE.auth.advice) expect(within(tile).getByText(line)).toBeTruthy();
  });

  it('is amber while backing off after a 429, with the rate-limit advice', () => {
    const integration = makeIntegration({
      health: 'degraded',
      streams: [
        makeStream({
          name: 'vulnerabilities',
          label: 'Vulnerabilities',
          health: 'degraded',
          backingOffUntil: new Date(NOW + 90_000).toISOString(),
          lastError: { kind: 'rate_limited', message: 'HTTP 429, Retry-After 90 s.' },
        }),
        makeStream({ name: 'assets', label: 'Assets' }),
      ],
    });
    render(<IntegrationTile integration={integration} now={NOW} />);
    const tile = screen.getByRole('article', { name: 'Integration Tenable production' });
    expect(indicatorOf(tile).dataset.color).toBe('yellow');
    expect(within(tile).getByText(/^Backing off until/)).toBeTruthy();
    expect(within(tile).getByText(RUN_ERROR_ADVICE.rate_limited.title)).toBeTruthy();
    expect(within(tile).getByText('Consider a longer Polling Interval (for example 60 minutes).')).toBeTruthy();
  });

  it('is grey before the first poll and shows the "No Data Appearing" checks while nothing was fetched', () => {
    const integration = makeIntegration({
      health: 'pending',
      streams: [
        makeStream({
          name: 'vulnerabilities',
          label: 'Vulnerabilities',
          health: 'pending',
          lastRunAt: null,
          lastFetched: null,
          totalFetched: 0,
        }),
        makeStream({ name: 'assets', label: 'Assets', health: 'pending', lastRunAt: null, lastFetched: null, totalFetched: 0 }),
      ],
    });
    render(<IntegrationTile integration={integration} now={NOW} />);
    const tile = screen.getByRole('article', { name: 'Integration Tenable production' });
    expect(indicatorOf(tile).dataset.color).toBe('gray');
    expect(within(indicatorOf(tile)).getByText('Waiting for the first poll')).toBeTruthy();
    expect(within(tile).getAllByText('Not yet')).toHaveLength(2);
    expect(within(tile).getByText('No data appearing?')).toBeTruthy();
    for (const line of NO_DATA_CHECKS) expect(within(tile).getByText(line)).toBeTruthy();
  });

  it('says when a run is in progress instead of the no-data checks', () => {
    const integration = makeIntegration({
      health: 'pending',
      streams: [
        makeStream({
          name: 'vulnerabilities',
          label: 'Vulnerabilities',
          health: 'pending',
          running: true,
          lastFetched: null,
          totalFetched: 0,
        }),
        makeStream({ name: 'assets', label: 'Assets', health: 'pending', lastFetched: null, totalFetched: 0 }),
      ],
    });
    render(<IntegrationTile integration={integration} now={NOW} />);
    expect(screen.getByText('Polling now')).toBeTruthy();
    expect(screen.getByText('Running')).toBeTruthy();
    expect(screen.queryByText('No data appearing?')).toBeNull();
  });

  it('shows no failure advice on a disabled integration, grey', () => {
    const integration = makeIntegration({
      enabled: false,
      health: 'disabled',
      streams: [
        makeStream({ name: 'vulnerabilities', label: 'Vulnerabilities', health: 'disabled', lastError: { kind: 'auth', message: '401' } }),
      ],
    });
    render(<IntegrationTile integration={integration} now={NOW} />);
    const tile = screen.getByRole('article', { name: 'Integration Tenable production' });
    expect(indicatorOf(tile).dataset.color).toBe('gray');
    expect(within(indicatorOf(tile)).getByText('Disabled')).toBeTruthy();
    expect(within(tile).queryByText(RUN_ERROR_ADVICE.auth.title)).toBeNull();
  });
});
