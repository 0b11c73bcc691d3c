// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installBrowserStubs, render } from '../../../test-utils/render';
import { PasswordHints, POLICY_NOT_MET_MESSAGE, validateNewPassword, validatePasswordsMatch } from './password-hints';

const POLICY = { minLength: 12, minClasses: 4 };

describe('PasswordHints', () => {
  beforeAll(installBrowserStubs);
  afterEach(cleanup);

  it('shows nothing before anything is typed', () => {
    render(<PasswordHints password="" policy={POLICY} />);
    expect(screen.queryByRole('list')).toBeNull();
    expect(screen.queryByText(/Must|Meets/)).toBeNull();
  });

  it('lists what a weak password still lacks', () => {
    render(<PasswordHints password="short" policy={POLICY} />);
    expect(screen.getByText('Must be at least 12 characters long.')).toBeTruthy();
    expect(screen.getByText('Must contain: an uppercase letter, a number, a special character.')).toBeTruthy();
    expect(screen.queryByText('Meets the password policy.')).toBeNull();
  });

  it('follows the configured policy (three classes of four)', () => {
    render(<PasswordHints password="longenough-password" policy={{ minLength: 8, minClasses: 3 }} />);
    expect(screen.getByText('Must contain 1 more of: an uppercase letter, a number.')).toBeTruthy();
  });

  it('says so once the password meets the policy', () => {
    render(<PasswordHints password="Correct-Horse-42!" policy={POLICY} />);
    expect(screen.getByText('Meets the password policy.')).toBeTruthy();
    expect(screen.queryByRole('listitem')).toBeNull();
  });
});

describe('new password rules', () => {
  it('refuses a password that breaks the policy, and accepts one that meets it', () => {
    expect(validateNewPassword('', POLICY)).toBe('Enter a password.');
    expect(validateNewPassword('Short-1a', POLICY)).toBe(POLICY_NOT_MET_MESSAGE);
    expect(validateNewPassword('longbutonlylowercase', POLICY)).toBe(POLICY_NOT_MET_MESSAGE);
    expect(validateNewPassword('Correct-Horse-42!', POLICY)).toBeNull();
  });

  it('leaves the policy to the server until it is known', () => {
    expect(validateNewPassword('weak', undefined)).toBeNull();
  });

  it('requires the second entry to match', () => {
    expect(validatePasswordsMatch('', 'Correct-Horse-42!')).toBe('Enter the password again.');
    expect(validatePasswordsMatch('Correct-Horse-41!', 'Correct-Horse-42!')).toBe('The passwords do not match.');
    expect(validatePasswordsMatch('Correct-Horse-42!', 'Correct-Horse-42!')).toBeNull();
  });
});
