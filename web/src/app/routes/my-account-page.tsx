import { PageHeader } from '../../components/page-header';
import { ProfileCard } from '../../features/my-account';
import { useSignedInSession } from '../session-context';

export function MyAccountPage() {
  const { user } = useSignedInSession();
  return (
    <>
      <PageHeader title="My Account" description="Your profile in Bulwark." />
      <ProfileCard user={user} />
    </>
  );
}
