import { Alert } from '@mantine/core';
import { IconCircleCheck, IconClockExclamation, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { AuthLayout, TAGLINE } from '../../components/auth-layout';
import { forgetSignOut, SignInForm } from '../../features/auth';
import { readLoginState } from '../navigation-state';

const NOTICE_ICONS = { info: IconInfoCircle, success: IconCircleCheck, warning: IconClockExclamation } as const;
const NOTICE_COLORS = { info: 'bulwark', success: 'teal', warning: 'yellow' } as const;

export function LoginPage() {
  const location = useLocation();
  const { notice } = readLoginState(location.state);
  const [isNoticeShown, setNoticeShown] = useState(true);

  useEffect(() => {
    forgetSignOut();
  }, []);

  const NoticeIcon = notice ? NOTICE_ICONS[notice.tone] : null;

  return (
    <AuthLayout title="Sign in to Bulwark" subtitle={TAGLINE}>
      {notice && NoticeIcon && isNoticeShown && (
        <Alert color={NOTICE_COLORS[notice.tone]} variant="light" icon={<NoticeIcon aria-hidden />} mb="lg">
          {notice.message}
        </Alert>
      )}
      {/* Once signed in, RequireGuest sends the person on (back where they were, or where they start). */}
      <SignInForm onSubmitStart={() => setNoticeShown(false)} />
    </AuthLayout>
  );
}
