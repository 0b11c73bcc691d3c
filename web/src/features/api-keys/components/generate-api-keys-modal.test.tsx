// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { useMutation } from '@tanstack/react-query';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS_REPLACE_WARNING, API_KEYS_SAVE_CAUTION, type GeneratedApiKeysResponse } from '../../../../../common/schemas/api-keys.js';
import { installBrowserStubs, render } from '../../../test-utils/render';
import { GenerateApiKeysModal } from './generate-api-keys-modal';

const KEYS: GeneratedApiKeysResponse = { accessKey: 'a'.repeat(64), secretKey: 'b'.repeat(64), createdAt: '2026-11-22T04:00:00.000Z' };

function Harness({ onClose = () => {} }: { onClose?: () => void }) {
  const generate = useMutation({ mutationFn: async () => KEYS });
  return (
    <GenerateApiKeysModal opened onClose={onClose} confirmLabel="Replace & Generate" forUsername="ada@mssp.example" generate={generate} />
  );
}

describe('GenerateApiKeysModal', () => {
  beforeAll(installBrowserStubs);
  afterEach(cleanup);

  it('shows the replacement warning first, then the keys once with copy buttons and the caution', async () => {
    render(<Harness />);
    expect(screen.getByText(API_KEYS_REPLACE_WARNING)).toBeTruthy();
    expect(screen.queryByText(KEYS.secretKey)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Replace & Generate' }));
    await waitFor(() => expect(screen.getByText(KEYS.secretKey)).toBeTruthy());
    expect(screen.getByText(KEYS.accessKey)).toBeTruthy();
    expect(screen.getByText(API_KEYS_SAVE_CAUTION)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy access key' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy secret key' })).toBeTruthy();
  });
});
