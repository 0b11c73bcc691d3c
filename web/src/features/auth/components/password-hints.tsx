import { Group, List, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { checkPassword, type PasswordPolicy } from '../../../../../common/password-policy.js';

interface PasswordHintsProps {
  password: string;
  policy: PasswordPolicy;
  /** When known, a password containing it is refused too, as the server does. */
  username?: string;
  id?: string;
}

/**
 * Live feedback while a new password is typed: what is still missing, or that it meets the policy.
 * Uses the same checkPassword the server applies, so the hints and the server never disagree.
 */
export function PasswordHints({ password, policy, username, id }: PasswordHintsProps) {
  if (!password) return null;
  const { isValid, problems } = checkPassword(password, policy, username);

  return (
    <div id={id} aria-live="polite">
      {isValid ? (
        <Group gap={6} wrap="nowrap">
          <ThemeIcon size={18} radius="xl" color="teal" variant="light" aria-hidden>
            <IconCheck size={12} stroke={3} />
          </ThemeIcon>
          <Text size="sm" fw={500} style={{ color: 'var(--mantine-color-teal-text)' }}>
            Meets the password policy.
          </Text>
        </Group>
      ) : (
        <List
          size="sm"
          spacing={4}
          center
          icon={
            <ThemeIcon size={18} radius="xl" color="red" variant="light" aria-hidden>
              <IconX size={12} stroke={3} />
            </ThemeIcon>
          }
        >
          {problems.map((problem) => (
            <List.Item key={problem}>
              <Text size="sm" c="dimmed" span>
                {problem}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}

export const POLICY_NOT_MET_MESSAGE = 'This password does not meet the policy yet (see the hints).';

/** Form rule for a new password; the hints beside the field say what exactly is missing. */
export function validateNewPassword(password: string, policy: PasswordPolicy | undefined, username?: string): string | null {
  if (!password) return 'Enter a password.';
  if (!policy) return null;
  return checkPassword(password, policy, username).isValid ? null : POLICY_NOT_MET_MESSAGE;
}

/** Form rule for the second entry of a new password. */
export function validatePasswordsMatch(verify: string, password: string): string | null {
  if (!verify) return 'Enter the password again.';
  return verify === password ? null : 'The passwords do not match.';
}
