import { Alert, Anchor, Button, Checkbox, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { SessionResponse } from '../../../../../common/schemas/auth.js';
import type { SignInChallengeResponse } from '../../../../../common/schemas/two-factor.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { isSignInChallenge, useSignIn } from '../auth.api';

interface SignInFormProps {
  /** The session is already stored (see useSignIn); this is for anything more a page wants to do. */
  onSignedIn?: (session: SessionResponse) => void;
  /** Two-factor: the password was right and the code step comes next (no session yet). */
  onSecondFactorRequired?: (challenge: SignInChallengeResponse) => void;
  /** Called when the person submits, so a page can hide a notice that no longer applies. */
  onSubmitStart?: () => void;
}

export function SignInForm({ onSignedIn, onSecondFactorRequired, onSubmitStart }: SignInFormProps = {}) {
  const signIn = useSignIn();
  const form = useForm({
    initialValues: { username: '', password: '', rememberMe: false },
    validate: {
      username: (value) => (value.trim() ? null : 'Enter your username.'),
      password: (value) => (value ? null : 'Enter your password.'),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    onSubmitStart?.();
    signIn.mutate(
      { username: values.username.trim(), password: values.password, rememberMe: values.rememberMe },
      {
        onSuccess: (answer) => {
          if (isSignInChallenge(answer)) onSecondFactorRequired?.(answer);
          else onSignedIn?.(answer);
        },
        onError: (error) => {
          form.setErrors(getFieldErrors(error));
          form.setFieldValue('password', '');
        },
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        {signIn.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {getErrorMessage(signIn.error)}
          </Alert>
        )}
        <TextInput
          label="Username"
          placeholder="name@domain"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          {...form.getInputProps('username')}
        />
        <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
        <Checkbox
          label="Remember Me"
          description="Stay signed in until you sign out or close the browser. Otherwise you are signed out after a period of inactivity."
          {...form.getInputProps('rememberMe', { type: 'checkbox' })}
        />
        <Button type="submit" fullWidth size="md" loading={signIn.isPending}>
          Sign In
        </Button>
        <Anchor component={Link} to="/forgot-password" size="sm" ta="center">
          Forgot Password
        </Anchor>
      </Stack>
    </form>
  );
}
