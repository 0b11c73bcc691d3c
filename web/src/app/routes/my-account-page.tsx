import { Tabs } from '@mantine/core';
import { IconKey, IconUser } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { OwnApiKeysPanel } from '../../features/api-keys';
import { ProfileCard } from '../../features/my-account';
import { useSignedInSession } from '../session-context';

export function MyAccountPage() {
  const { user } = useSignedInSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get('tab') === 'api-keys' ? 'api-keys' : 'profile';
  return (
    <>
      <PageHeader title="My Account" description="Your profile in Bulwark." />
      <Tabs
        value={tab}
        onChange={(value) => setSearchParams(value === 'api-keys' ? { tab: 'api-keys' } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="profile" leftSection={<IconUser size={16} aria-hidden />}>
            Profile
          </Tabs.Tab>
          <Tabs.Tab value="api-keys" leftSection={<IconKey size={16} aria-hidden />}>
            API Keys
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile">
          <ProfileCard user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="api-keys">
          <OwnApiKeysPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
