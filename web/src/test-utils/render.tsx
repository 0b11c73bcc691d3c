import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, render as testingLibraryRender, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { vi } from 'vitest';
import { theme } from '../app/theme';

// findBy*/waitFor wait up to 1 s by default: too short on a loaded 2-core CI machine running two
// test workers (a page that renders in 100 ms alone took over a second there). Failures still fail.
configure({ asyncUtilTimeout: 5_000 });

interface WrapperOptions {
  /** Entries for the MemoryRouter; the last is the current location. */
  initialEntries?: string[];
  queryClient?: QueryClient;
}

/** A QueryClient for one test: no retries, nothing kept between tests. */
export function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
}

/**
 * Renders a component the way the app does: Mantine (test environment: no transitions, no
 * portals), a fresh QueryClient and a MemoryRouter.
 */
export function render(
  ui: ReactElement,
  { initialEntries = ['/'], queryClient = createTestQueryClient(), ...options }: WrapperOptions & Omit<RenderOptions, 'wrapper'> = {},
) {
  function Wrapper({ children }: { children: ReactNode }) {
    return (
      <MantineProvider theme={theme} env="test">
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={initialEntries}>{children}</MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>
    );
  }
  return { queryClient, ...testingLibraryRender(ui, { wrapper: Wrapper, ...options }) };
}

/** A JSON fetch response, for tests that replace global fetch. */
export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
}

/** Replaces global fetch with one that answers every request with `body`; the URLs asked land in the list returned. */
export function recordFetches(body: unknown): URL[] {
  const requests: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      requests.push(new URL(input, 'http://bulwark.test'));
      return jsonResponse(200, body);
    }),
  );
  return requests;
}

/** Shows the current URL query, for tests of what a page writes into it. */
export function LocationProbe() {
  return <output data-testid="location">{useLocation().search}</output>;
}

/** jsdom lacks matchMedia and ResizeObserver, which Mantine uses. */
export function installBrowserStubs(): void {
  if (!window.matchMedia) {
    Object.defineProperty(window, 'matchMedia', {
      writable: true,
      value: (query: string) => ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }),
    });
  }
  if (!('ResizeObserver' in window)) {
    class ResizeObserverStub {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    }
    Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserverStub });
  }
}
