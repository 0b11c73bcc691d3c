import { Tabs } from '@mantine/core';
import { IconDevices, IconKey, IconLock, IconShieldLock, IconUser } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { OwnApiKeysPanel } from '../../features/api-keys';
import { ChangePasswordCard, ProfileCard, SessionsPanel } from '../../features/my-account';
import { TwoFactorPanel } from '../../features/two-factor';
import { useSignedInSession } from '../session-context';

/**
 * The seed's My Account page, one tab per part; `?tab=<value>` opens a tab directly. A new tab
 * needs only its Tabs.Tab and Tabs.Panel below.
 */
export function MyAccountPage() {
  const { user } = useSignedInSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get('tab') ?? 'profile';
  return (
    <>
      <PageHeader title="My Account" description="Your profile, password, API keys and sessions in Bulwark." />
      <Tabs
        value={tab}
        onChange={(value) => setSearchParams(value && value !== 'profile' ? { tab: value } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="profile" leftSection={<IconUser size={16} aria-hidden />}>
            Profile
          </Tabs.Tab>
          <Tabs.Tab value="password" leftSection={<IconLock size={16} aria-hidden />}>
            Password
          </Tabs.Tab>
          <Tabs.Tab value="two-factor" leftSection={<IconShieldLock size={16} aria-hidden />}>
            Two-Factor
          </Tabs.Tab>
          <Tabs.Tab value="api-keys" leftSection={<IconKey size={16} aria-hidden />}>
            API Keys
          </Tabs.Tab>
          <Tabs.Tab value="sessions" leftSection={<IconDevices size={16} aria-hidden />}>
            Sessions
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile">
          <ProfileCard user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="password">
          <ChangePasswordCard username={user.username} />
        </Tabs.Panel>
        <Tabs.Panel value="two-factor">
          <TwoFactorPanel />
        </Tabs.Panel>
        <Tabs.Panel value="api-keys">
          <OwnApiKeysPanel userKind={user.kind} />
        </Tabs.Panel>
        <Tabs.Panel value="sessions">
          <SessionsPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
