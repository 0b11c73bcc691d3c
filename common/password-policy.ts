/**
 * Password rules. The seeds disagree (12 characters with all four classes for My Account,
 * 8 characters with three of four for Create User); Bulwark takes the stricter one by
 * default and lets a deployment configure it (PASSWORD_MIN_LENGTH, PASSWORD_MIN_CLASSES).
 */
export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, minClasses: 4 };

export const MAX_PASSWORD_LENGTH = 256;

const CLASSES = [
  { label: 'An uppercase letter', pattern: /[A-Z]/ },
  { label: 'A lowercase letter', pattern: /[a-z]/ },
  { label: 'A number', pattern: /[0-9]/ },
  { label: 'A special character', pattern: /[^A-Za-z0-9]/ },
] as const;

export interface PasswordCheck {
  isValid: boolean;
  problems: string[];
}

export function describePasswordPolicy(policy: PasswordPolicy): string {
  const classes = CLASSES.map((c) => c.label.toLowerCase()).join(', ');
  const which = policy.minClasses >= CLASSES.length ? 'each of' : `at least ${policy.minClasses} of`;
  return `Passwords must be at least ${policy.minLength} characters long and contain ${which}: ${classes}.`;
}

/** Checks a password against the policy; with a username, also refuses one that contains it. */
export function checkPassword(password: string, policy: PasswordPolicy, username?: string): PasswordCheck {
  const problems: string[] = [];
  if (password.length < policy.minLength) {
    problems.push(`Must be at least ${policy.minLength} characters long.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    problems.push(`Must be at most ${MAX_PASSWORD_LENGTH} characters long.`);
  }
  const missing = CLASSES.filter((c) => !c.pattern.test(password));
  const present = CLASSES.length - missing.length;
  if (present < policy.minClasses) {
    const need = policy.minClasses >= CLASSES.length ? 'Must contain' : `Must contain ${policy.minClasses - present} more of`;
    problems.push(`${need}: ${missing.map((c) => c.label.toLowerCase()).join(', ')}.`);
  }
  const localPart = username?.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 3 && password.toLowerCase().includes(localPart)) {
    problems.push('Must not contain the username.');
  }
  return { isValid: problems.length === 0, problems };
}
