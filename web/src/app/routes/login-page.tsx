import { Alert } from '@mantine/core';
import { IconCircleCheck, IconClockExclamation, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { AuthLayout, TAGLINE } from '../../components/auth-layout';
import { forgetSignOut, SignInForm } from '../../features/auth';
import { SecondFactorForm } from '../../features/two-factor';
import type { SignInChallengeResponse } from '../../../../common/schemas/two-factor.js';
import { readLoginState } from '../navigation-state';

const NOTICE_ICONS = { info: IconInfoCircle, success: IconCircleCheck, warning: IconClockExclamation } as const;
const NOTICE_COLORS = { info: 'bulwark', success: 'teal', warning: 'yellow' } as const;

export function LoginPage() {
  const location = useLocation();
  const { notice } = readLoginState(location.state);
  const [isNoticeShown, setNoticeShown] = useState(true);
  // Two-factor: the right password leads to the code step; no session until it is passed.
  const [challenge, setChallenge] = useState<SignInChallengeResponse | null>(null);
  const [attemptEndedMessage, setAttemptEndedMessage] = useState<string | null>(null);

  useEffect(() => {
    forgetSignOut();
  }, []);

  const NoticeIcon = notice ? NOTICE_ICONS[notice.tone] : null;

  if (challenge) {
    return (
      <AuthLayout title="Two-step verification" subtitle="Your password was right. Finish signing in with your second factor.">
        <SecondFactorForm
          challenge={challenge}
          onAttemptEnded={(message) => {
            setChallenge(null);
            setAttemptEndedMessage(message);
          }}
          onCancel={() => setChallenge(null)}
        />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Sign in to Bulwark" subtitle={TAGLINE}>
      {notice && NoticeIcon && isNoticeShown && (
        <Alert color={NOTICE_COLORS[notice.tone]} variant="light" icon={<NoticeIcon aria-hidden />} mb="lg">
          {notice.message}
        </Alert>
      )}
      {attemptEndedMessage && (
        <Alert color="yellow" variant="light" icon={<IconClockExclamation aria-hidden />} mb="lg" role="alert">
          {attemptEndedMessage}
        </Alert>
      )}
      {/* Once signed in, RequireGuest sends the person on (back where they were, or where they start). */}
      <SignInForm
        onSubmitStart={() => {
          setNoticeShown(false);
          setAttemptEndedMessage(null);
        }}
        onSecondFactorRequired={setChallenge}
      />
    </AuthLayout>
  );
}
