import { Alert, Box, Button, Divider, Group, Modal, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconPencil, IconPlayerPause, IconPlayerPlay, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import {
  BackToIntegrations,
  IntegrationForm,
  IntegrationLog,
  IntegrationTile,
  isAnyStreamRunning,
  RunHistoryTable,
  useConnectors,
  useDeleteIntegration,
  useIntegration,
  useIntegrationLogs,
  useIntegrationRuns,
  usePollNow,
  useUpdateIntegration,
} from '../../features/integrations';
import { getErrorMessage, isApiError } from '../../lib/api-client';
import { PermissionGate } from '../permission-gate';
import { NotFoundPage } from './not-found-page';

const RUNS_PAGE_SIZE = 20;
const LOG_LINES = 100;
const EAGER_REFRESH_MS = 120_000;

function readNotice(state: unknown): string | null {
  if (typeof state === 'object' && state !== null && 'notice' in state && typeof state.notice === 'string') return state.notice;
  return null;
}

/** Settings → Integrations → one integration: its tile, Poll Now, Edit, Disable/Enable, Delete, the run ledger and the log. */
export function IntegrationPage() {
  return (
    <PermissionGate action="integrations:manage">
      <IntegrationDetails />
    </PermissionGate>
  );
}

function IntegrationDetails() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams, setSearchParams] = useSearchParams();
  const isEditing = searchParams.get('edit') === '1';
  const runsPage = Math.max(1, Number.parseInt(searchParams.get('runsPage') ?? '1', 10) || 1);
  const [notice, setNotice] = useState(() => readNotice(location.state));
  const [isDeleteOpen, setIsDeleteOpen] = useState(false);

  // Just after Poll Now the queued runs may not show as running yet: refresh often for a while anyway.
  const [isEager, setIsEager] = useState(false);
  useEffect(() => {
    if (!isEager) return undefined;
    const timer = setTimeout(() => setIsEager(false), EAGER_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [isEager]);
  const integration = useIntegration(id, isEager);
  const connectors = useConnectors();
  const isRunning = isEager || (integration.data ? isAnyStreamRunning([integration.data]) : false);
  const runs = useIntegrationRuns(id, runsPage, RUNS_PAGE_SIZE, isRunning);
  const logs = useIntegrationLogs(id, LOG_LINES, isRunning);
  const pollNow = usePollNow();
  const update = useUpdateIntegration();
  const remove = useDeleteIntegration();

  const setQuery = (changes: Record<string, string>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearchParams(next);
  };

  if (integration.isPending) return <Skeleton height={360} />;
  if (integration.isError) {
    if (isApiError(integration.error) && integration.error.status === 404) return <NotFoundPage />;
    return <QueryErrorAlert error={integration.error} onRetry={() => void integration.refetch()} title="Could not load the integration" />;
  }
  const current = integration.data;
  const connector = connectors.data?.connectors.find((candidate) => candidate.id === current.connector);
  const streamLabels = Object.fromEntries(current.streams.map((stream) => [stream.name, stream.label]));

  const handlePollNow = () => {
    setNotice(null);
    pollNow.mutate(current.id, {
      onSuccess: ({ queued }) => {
        setIsEager(true);
        setNotice(
          queued.length > 0
            ? `Poll Now: ${queued.map((stream) => streamLabels[stream] ?? stream).join(' and ')} queued. The tile updates as the runs progress.`
            : 'Every stream is already running.',
        );
      },
    });
  };

  const handleToggleEnabled = () => {
    setNotice(null);
    update.mutate(
      { id: current.id, body: { enabled: !current.enabled } },
      { onSuccess: (saved) => setNotice(saved.enabled ? `${saved.name} is enabled.` : `${saved.name} is disabled: it no longer polls.`) },
    );
  };

  const handleDelete = () => {
    remove.mutate(current.id, {
      onSuccess: () => void navigate('/settings/integrations', { state: { notice: `${current.name} is deleted.` } }),
    });
  };

  if (isEditing) {
    return (
      <>
        <BackToIntegrations />
        <PageHeader order={2} title={`Edit ${current.name}`} description={`${current.connectorLabel} · ${current.connector}`} />
        {connector ? (
          <IntegrationForm
            connector={connector}
            integration={current}
            onSaved={(saved) => {
              setNotice(`${saved.name} is saved.`);
              setQuery({ edit: '' });
            }}
            onCancel={() => setQuery({ edit: '' })}
          />
        ) : connectors.isError ? (
          <QueryErrorAlert error={connectors.error} onRetry={() => void connectors.refetch()} title="Could not load the connector" />
        ) : (
          <Skeleton height={480} />
        )}
      </>
    );
  }

  const actionError = pollNow.error ?? update.error;

  return (
    <>
      <BackToIntegrations />
      <PageHeader
        order={2}
        title={current.name}
        description={`${current.connectorLabel} integration${current.owner ? `, created by ${current.owner.name}` : ''}.`}
        aside={
          <Group gap="xs" wrap="wrap">
            <Button
              leftSection={<IconRefresh size={16} aria-hidden />}
              onClick={handlePollNow}
              loading={pollNow.isPending}
              disabled={!current.enabled}
              title={current.enabled ? undefined : 'Enable the integration to poll it.'}
            >
              Poll Now
            </Button>
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setQuery({ edit: '1' })}>
              Edit
            </Button>
            <Button
              variant="default"
              leftSection={current.enabled ? <IconPlayerPause size={16} aria-hidden /> : <IconPlayerPlay size={16} aria-hidden />}
              onClick={handleToggleEnabled}
              loading={update.isPending}
            >
              {current.enabled ? 'Disable' : 'Enable'}
            </Button>
            <Button variant="default" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setIsDeleteOpen(true)}>
              Delete
            </Button>
          </Group>
        }
      />
      {notice && (
        <Alert
          color="green"
          variant="light"
          mb="md"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setNotice(null)}
          role="status"
        >
          {notice}
        </Alert>
      )}
      {actionError && (
        <Alert color="red" variant="light" mb="md" role="alert">
          {getErrorMessage(actionError)}
        </Alert>
      )}
      <Stack gap="lg">
        <IntegrationTile integration={current} />

        <Paper withBorder shadow="xs" component="section" aria-labelledby="runs-heading">
          <Box p="md" pb="xs">
            <Title order={3} size="h4" id="runs-heading">
              Run history
            </Title>
          </Box>
          <Divider />
          {runs.isPending && <Skeleton height={160} m="md" />}
          {runs.isError && (
            <Box p="md">
              <QueryErrorAlert error={runs.error} onRetry={() => void runs.refetch()} title="Could not load the run history" />
            </Box>
          )}
          {runs.data && (
            <>
              <RunHistoryTable runs={runs.data.runs} streamLabels={streamLabels} />
              {runs.data.total > 0 && (
                <Box px="md" pb="md">
                  <TablePagination
                    page={runsPage}
                    pageSize={RUNS_PAGE_SIZE}
                    total={runs.data.total}
                    noun="runs"
                    onPageChange={(page) => setQuery({ runsPage: page > 1 ? String(page) : '' })}
                  />
                </Box>
              )}
            </>
          )}
        </Paper>

        <Paper withBorder shadow="xs" p="md" component="section" aria-labelledby="log-heading">
          <Stack gap="xs">
            <Title order={3} size="h4" id="log-heading">
              Log
            </Title>
            <Text size="sm" c="dimmed">
              The connector&apos;s recent log lines, newest first. After each run:{' '}
              <code>[INFO] tenable: fetched &lt;N&gt; vulnerabilities</code>.
            </Text>
            {logs.isPending && <Skeleton height={120} />}
            {logs.isError && <QueryErrorAlert error={logs.error} onRetry={() => void logs.refetch()} title="Could not load the log" />}
            {logs.data && <IntegrationLog lines={logs.data.lines} />}
          </Stack>
        </Paper>
      </Stack>

      <Modal opened={isDeleteOpen} onClose={() => setIsDeleteOpen(false)} title={`Delete ${current.name}`} centered>
        <Stack gap="md">
          <Text size="sm">
            {current.name} stops polling and its settings and keys are removed. This cannot be undone; to stop it for a while, disable it
            instead.
          </Text>
          {remove.isError && (
            <Alert color="red" variant="light" role="alert">
              {getErrorMessage(remove.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setIsDeleteOpen(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={handleDelete} loading={remove.isPending}>
              Delete integration
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
