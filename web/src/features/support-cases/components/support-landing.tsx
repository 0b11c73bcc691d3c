import { Alert, Anchor, Button, Card, CloseButton, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconBook, IconHeadset, IconLifebuoy, IconMessages, IconTool, IconUsers } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ELIGIBILITY_MESSAGES, type SupportOverviewResponse } from '../../../../../common/schemas/support-cases.js';
import { useSession } from '../../auth';
import { PhoneSupportCard } from '../../phone-support';
import { useSupportOverview } from '../support-cases.api';

export const CUSTOMER_CARE_GUIDE_PATH = '/support/kb/customer-care-guide';
export const TECHNICAL_SUPPORT_GUIDE_PATH = '/support/kb/technical-support-guide';

type ActionKey = 'care' | 'technical' | 'chat' | 'cases';

interface ActionDefinition {
  key: ActionKey;
  label: string;
  path: string;
  icon: ReactNode;
}

const ACTIONS: readonly ActionDefinition[] = [
  { key: 'care', label: 'Create Customer Care Case', path: '/support/cases/new/customer-care', icon: <IconUsers size={18} aria-hidden /> },
  {
    key: 'technical',
    label: 'Create Technical Support Case',
    path: '/support/cases/new/technical',
    icon: <IconTool size={18} aria-hidden />,
  },
  { key: 'chat', label: 'Chat with Technical Support', path: '/support/chat', icon: <IconMessages size={18} aria-hidden /> },
  { key: 'cases', label: 'Manage My Cases', path: '/support/cases', icon: <IconLifebuoy size={18} aria-hidden /> },
];

const SIGN_IN_MESSAGES: Record<ActionKey, string> = {
  care: 'Sign in to create a Customer Care case.',
  technical: ELIGIBILITY_MESSAGES.signed_out,
  chat: ELIGIBILITY_MESSAGES.signed_out,
  cases: 'Sign in to see and manage your cases.',
};

/** Why an action is refused, or null when it may go ahead: the seed's message for Technical Support and Chat. */
function getRefusal(key: ActionKey, isSignedIn: boolean, overview: SupportOverviewResponse | undefined): string | null {
  if (!isSignedIn) return (key === 'technical' || key === 'chat' ? overview?.technicalSupport.message : null) ?? SIGN_IN_MESSAGES[key];
  if (!overview || key === 'cases') return null;
  if (key === 'care') {
    return overview.customerCare.allowed ? null : (overview.customerCare.message ?? 'Customer Care cases are opened by customer contacts.');
  }
  return overview.technicalSupport.allowed
    ? null
    : (overview.technicalSupport.message ?? 'Technical Support cases are opened by customer contacts.');
}

function Tile({ title, icon, children }: { title: string; icon: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder shadow="xs" padding="lg">
      <Stack gap="sm">
        <Group gap="xs">
          {icon}
          <Title order={2} size="h3">
            {title}
          </Title>
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

interface ContactSupportTileProps {
  isSignedIn: boolean;
  overview: SupportOverviewResponse | undefined;
  /** Until the overview arrives, a click could not say why an action is refused. */
  isLoading: boolean;
}

function ContactSupportTile({ isSignedIn, overview, isLoading }: ContactSupportTileProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const [refusal, setRefusal] = useState<{ key: ActionKey; message: string } | null>(null);

  const handleClick = (action: ActionDefinition) => {
    const message = getRefusal(action.key, isSignedIn, overview);
    if (message) setRefusal({ key: action.key, message });
    else void navigate(action.path);
  };

  return (
    <Tile title="Contact Support" icon={<IconHeadset size={20} stroke={1.7} aria-hidden />}>
      <Stack gap="xs">
        {ACTIONS.map((action) => (
          <Button
            key={action.key}
            variant="light"
            justify="flex-start"
            leftSection={action.icon}
            onClick={() => handleClick(action)}
            disabled={isLoading}
            // Long labels wrap in a narrow tile rather than being cut off.
            h="auto"
            mih={36}
            py={6}
            styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
          >
            {action.label}
          </Button>
        ))}
      </Stack>
      {refusal && (
        <Alert color={isSignedIn ? 'orange' : 'blue'} variant="light" role="alert">
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
            <Stack gap={6}>
              <Text size="sm" data-testid="support-refusal">
                {refusal.message}
              </Text>
              {!isSignedIn && (
                <Anchor component={Link} to="/login" state={{ from: `${location.pathname}${location.search}` }} size="sm" fw={600}>
                  Sign in
                </Anchor>
              )}
            </Stack>
            <CloseButton size="sm" aria-label="Dismiss" onClick={() => setRefusal(null)} />
          </Group>
        </Alert>
      )}
    </Tile>
  );
}

function readNotice(state: unknown): string | null {
  if (typeof state === 'object' && state !== null && 'notice' in state && typeof state.notice === 'string') return state.notice;
  return null;
}

/** The Support page: the seed's introduction and tiles, for visitors, contacts and agents alike. */
export function SupportLanding() {
  const session = useSession();
  const overview = useSupportOverview();
  const location = useLocation();
  const [notice, setNotice] = useState(() => readNotice(location.state));
  const isSignedIn = Boolean(session.data) || overview.data?.signedIn === true;
  const data = overview.data;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Support</Title>
        <Text c="dimmed" size="sm" mt={4}>
          The Support page is your starting point for getting help.
        </Text>
      </div>
      {notice && (
        <Alert color="green" variant="light" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <div>
        <Text size="sm">From this page you can:</Text>
        <List size="sm" spacing={2} mt={4}>
          <List.Item>Open a Customer Care case for non-technical questions (orders, contacts, login, account administration).</List.Item>
          <List.Item>Open a Technical Support case for issues with your products.</List.Item>
          <List.Item>Start a chat session with Technical Support.</List.Item>
          <List.Item>Manage your existing cases.</List.Item>
          <List.Item>Look up phone numbers and your Support PIN for calling Support.</List.Item>
        </List>
      </div>
      {data && (data.isPrimaryContact || data.isSupportAgent) && (
        <Group gap="sm">
          {data.isPrimaryContact && (
            <Button component={Link} to="/support/contacts" variant="default" size="xs" leftSection={<IconUsers size={16} aria-hidden />}>
              Contacts (Manage Cases)
            </Button>
          )}
          {data.isSupportAgent && (
            <>
              <Button
                component={Link}
                to="/support-console"
                variant="default"
                size="xs"
                leftSection={<IconHeadset size={16} aria-hidden />}
              >
                Support console
              </Button>
              <Button component={Link} to="/support/kb" variant="default" size="xs" leftSection={<IconBook size={16} aria-hidden />}>
                Knowledge base editor
              </Button>
              <Button component={Link} to="/support/pin-lookup" variant="default" size="xs">
                PIN lookup
              </Button>
            </>
          )}
        </Group>
      )}
      {/* Sized by the page, not the window: visitors see it in the narrower public frame. */}
      <SimpleGrid type="container" cols={{ base: 1, '600px': 2, '960px': 3 }} spacing="lg">
        <Tile title="Non-Technical Issue" icon={<IconUsers size={20} stroke={1.7} aria-hidden />}>
          <Text size="sm">
            For help with non-product-related issues, such as order assistance, managing account contacts, login errors, and permission
            problems.
          </Text>
          <Anchor component={Link} to={CUSTOMER_CARE_GUIDE_PATH} size="sm" fw={600}>
            Customer Care Guide
          </Anchor>
        </Tile>
        <Tile title="Technical Issues" icon={<IconTool size={20} stroke={1.7} aria-hidden />}>
          <Text size="sm">
            For problems with the products themselves, such as scanning errors, installation issues, or products not behaving as expected.
          </Text>
          <Anchor component={Link} to={TECHNICAL_SUPPORT_GUIDE_PATH} size="sm" fw={600}>
            Technical Support Guide
          </Anchor>
        </Tile>
        <ContactSupportTile isSignedIn={isSignedIn} overview={data} isLoading={overview.isPending || session.isPending} />
      </SimpleGrid>
      <PhoneSupportCard />
    </Stack>
  );
}
