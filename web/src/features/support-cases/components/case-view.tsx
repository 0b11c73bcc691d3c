import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconArrowLeft, IconDownload, IconLock } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import {
  CASE_KIND_LABELS,
  CASE_PRIORITY_LABELS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  type CaseDetailResponse,
  type CaseMessageResponse,
  type CaseStatus,
} from '../../../../../common/schemas/support-cases.js';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage } from '../../../lib/api-client';
import { FileUploader } from '../../support-uploads';
import {
  attachmentPath,
  useCase,
  useCaseTransition,
  useRemoveAttachment,
  useReplyToCase,
  useSupportAgents,
  useSupportOverview,
  useUpdateCase,
} from '../support-cases.api';
import { CaseStatusBadge, formatDateTime, formatFileSize, SlaClock, useNow } from './case-badges';
import { DescriptionField, getGeneralError, SecretDetectedAlert, useSecretGuard } from './secret-guard';

function readNotice(state: unknown): string | null {
  if (typeof state === 'object' && state !== null && 'notice' in state && typeof state.notice === 'string') return state.notice;
  return null;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function CaseFacts({ detail, isAgent }: { detail: CaseDetailResponse; isAgent: boolean }) {
  const now = useNow();
  return (
    <Group gap="xl" wrap="wrap" align="flex-start">
      <Fact label="Type">{CASE_KIND_LABELS[detail.kind]}</Fact>
      {detail.product && <Fact label="Product">{`${detail.product}${detail.productVersion ? ` ${detail.productVersion}` : ''}`}</Fact>}
      {detail.category && <Fact label="Category">{`${detail.category}${detail.issueType ? ` — ${detail.issueType}` : ''}`}</Fact>}
      {detail.priority && <Fact label="Priority">{CASE_PRIORITY_LABELS[detail.priority]}</Fact>}
      {detail.operatingSystem && <Fact label="Operating System">{detail.operatingSystem}</Fact>}
      <Fact label="Queue">{detail.queue}</Fact>
      {detail.isFedramp && (
        <Fact label="FedRAMP">
          <Badge color="indigo" variant="light" radius="sm">
            FedRAMP
          </Badge>
        </Fact>
      )}
      {isAgent && <Fact label="Account">{detail.account.name}</Fact>}
      {isAgent && (
        <Fact label="SLA">
          <SlaClock sla={detail.sla} now={now} />
        </Fact>
      )}
      <Fact label="Opened">{`${formatDateTime(detail.createdAt)}${detail.openedBy ? ` by ${detail.openedBy.name}` : ''}`}</Fact>
      <Fact label="Updated">{formatDateTime(detail.updatedAt)}</Fact>
    </Group>
  );
}

function AgentControls({ detail }: { detail: CaseDetailResponse }) {
  const update = useUpdateCase(detail.id);
  const agents = useSupportAgents(true);
  const agentOptions = agents.data?.items ?? [];
  const assigneeData = [
    { value: '', label: 'Unassigned' },
    ...agentOptions.map((agent) => ({ value: agent.id, label: agent.name })),
    // The current assignee may no longer be listed (no longer an agent): keep showing them.
    ...(detail.assignedTo && !agentOptions.some((agent) => agent.id === detail.assignedTo?.id)
      ? [{ value: detail.assignedTo.id, label: detail.assignedTo.name }]
      : []),
  ];
  return (
    <Paper withBorder p="md" aria-label="Agent controls" component="section">
      <Group gap="md" align="flex-end" wrap="wrap">
        <NativeSelect
          label="Status"
          data={CASE_STATUSES.map((value) => ({ value, label: CASE_STATUS_LABELS[value] }))}
          value={detail.status}
          onChange={(event) => update.mutate({ status: event.currentTarget.value as CaseStatus })}
          disabled={update.isPending}
        />
        <NativeSelect
          label="Assigned to"
          data={assigneeData}
          value={detail.assignedTo?.id ?? ''}
          onChange={(event) => update.mutate({ assignedToUserId: event.currentTarget.value || null })}
          disabled={update.isPending || agents.isPending}
        />
      </Group>
      {update.isError && (
        <Text c="red" size="sm" mt="xs" role="alert">
          {getErrorMessage(update.error)}
        </Text>
      )}
    </Paper>
  );
}

function MessageItem({ message, isAgent }: { message: CaseMessageResponse; isAgent: boolean }) {
  const isInternal = message.visibility === 'internal';
  return (
    <Paper
      withBorder
      p="sm"
      bg={isInternal ? 'var(--mantine-color-yellow-light)' : message.authorKind === 'agent' ? 'var(--mantine-color-blue-light)' : undefined}
      data-testid={isInternal ? 'internal-note' : 'public-message'}
    >
      <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {message.authorName}
          </Text>
          {message.authorKind === 'agent' && (
            <Badge size="xs" variant="light">
              Support
            </Badge>
          )}
          {isInternal && isAgent && (
            <Badge size="xs" color="yellow" variant="filled" leftSection={<IconLock size={10} aria-hidden />}>
              Internal note
            </Badge>
          )}
          {message.via !== 'portal' && (
            <Badge size="xs" color="gray" variant="outline">
              via {message.via}
            </Badge>
          )}
          {message.secretOverride && isAgent && (
            <Badge size="xs" color="orange" variant="light">
              Sent despite a secret warning
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {formatDateTime(message.createdAt)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {message.body}
      </Text>
    </Paper>
  );
}

function Attachments({ detail, isAgent, userName }: { detail: CaseDetailResponse; isAgent: boolean; userName: string | null }) {
  const remove = useRemoveAttachment(detail.id);
  if (detail.attachments.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No files yet.
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" aria-label="Attachments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>Uploaded</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.attachments.map((attachment) => {
              const canRemove = detail.can.addFiles && (isAgent || (userName !== null && attachment.uploadedBy === userName));
              return (
                <Table.Tr key={attachment.id}>
                  <Table.Td>
                    <Anchor href={attachmentPath(detail.id, attachment.id)} download={attachment.fileName} size="sm">
                      <IconDownload size={14} aria-hidden /> {attachment.fileName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatFileSize(attachment.size)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {formatDateTime(attachment.createdAt)}
                      {attachment.uploadedBy ? ` by ${attachment.uploadedBy}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {canRemove && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => remove.mutate(attachment.id)}
                        loading={remove.isPending && remove.variables === attachment.id}
                        aria-label={`Remove ${attachment.fileName}`}
                      >
                        Remove
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {remove.isError && (
        <Text c="red" size="sm" role="alert">
          {getErrorMessage(remove.error)}
        </Text>
      )}
    </>
  );
}

function ReplyForm({ detail, isAgent }: { detail: CaseDetailResponse; isAgent: boolean }) {
  const reply = useReplyToCase(detail.id);
  const guard = useSecretGuard();
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [error, setError] = useState<string | undefined>();
  // Remounting the description clears its warning once a reply is sent.
  const [sentCount, setSentCount] = useState(0);

  const send = (secretOverride: boolean) => {
    reply.mutate(
      { body, visibility: isAgent ? visibility : 'public', secretOverride },
      {
        onSuccess: () => {
          setBody('');
          setSentCount((count) => count + 1);
        },
        onError: (failure) => {
          if (guard.catchSecret(failure)) return;
          setError(getGeneralError(failure, []) ?? undefined);
        },
      },
    );
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    guard.dismiss();
    setError(undefined);
    if (!body.trim()) {
      setError('Write a reply.');
      return;
    }
    if (guard.interceptSubmit()) return;
    send(guard.isOverrideChosen);
  };

  return (
    <Box component="form" onSubmit={handleSubmit} noValidate aria-label="Reply">
      <Stack gap="sm">
        {isAgent && (
          <SegmentedControl
            value={visibility}
            onChange={(value) => setVisibility(value === 'internal' ? 'internal' : 'public')}
            data={[
              { value: 'public', label: 'Public reply' },
              { value: 'internal', label: 'Internal note' },
            ]}
            aria-label="Reply visibility"
            w="fit-content"
          />
        )}
        <DescriptionField
          key={sentCount}
          label={isAgent && visibility === 'internal' ? 'Internal note (agents only)' : 'Reply'}
          value={body}
          onChange={setBody}
          onWarningChange={guard.onWarningChange}
          textareaRef={guard.textareaRef}
          error={error}
          minRows={3}
          isWarningShown={!guard.serverFindings}
          isRequired={false}
        />
        {guard.serverFindings && (
          <SecretDetectedAlert
            findings={guard.serverFindings}
            onEdit={guard.edit}
            onSubmitAnyway={() => send(true)}
            isSubmitting={reply.isPending}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={reply.isPending && !guard.serverFindings}>
            {isAgent && visibility === 'internal' ? 'Add note' : 'Send reply'}
          </Button>
        </Group>
      </Stack>
    </Box>
  );
}

function CaseTransitions({ detail }: { detail: CaseDetailResponse }) {
  const transition = useCaseTransition(detail.id);
  if (!detail.can.close && !detail.can.reopen) return null;
  return (
    <Group gap="xs">
      {detail.can.close && (
        <Button
          variant="default"
          onClick={() => transition.mutate('close')}
          loading={transition.isPending && transition.variables === 'close'}
        >
          Close case
        </Button>
      )}
      {detail.can.reopen && (
        <Button
          variant="default"
          onClick={() => transition.mutate('reopen')}
          loading={transition.isPending && transition.variables === 'reopen'}
        >
          Reopen case
        </Button>
      )}
      {transition.isError && (
        <Text c="red" size="sm" role="alert">
          {getErrorMessage(transition.error)}
        </Text>
      )}
    </Group>
  );
}

interface CaseViewProps {
  caseId: string;
  /** Opened from the Support console: the way back leads there. */
  isConsole: boolean;
  userName: string | null;
}

/** One case, for the contact who reads it and the agent who works it (controls when can.work). */
export function CaseView({ caseId, isConsole, userName }: CaseViewProps) {
  const result = useCase(caseId);
  const overview = useSupportOverview();
  const location = useLocation();
  const [notice, setNotice] = useState(() => readNotice(location.state));
  const backPath = isConsole ? '/support-console' : '/support/cases';
  const backLabel = isConsole ? 'Support console' : 'My Cases';

  const back = (
    <Anchor component={Link} to={backPath} size="sm">
      <IconArrowLeft size={14} aria-hidden /> {backLabel}
    </Anchor>
  );

  if (result.isPending) {
    return (
      <Stack gap="md">
        {back}
        <Skeleton height={36} width="60%" />
        <Skeleton height={120} />
      </Stack>
    );
  }
  if (result.isError) {
    return (
      <Stack gap="md">
        {back}
        <QueryErrorAlert error={result.error} onRetry={() => void result.refetch()} title="Could not load this case" />
      </Stack>
    );
  }

  const detail = result.data;
  const isAgent = detail.can.work;
  const showFedrampCaution = detail.isFedramp || overview.data?.account?.isFedramp === true;

  return (
    <Stack gap="lg">
      {back}
      <div>
        <Group gap="sm" align="center" wrap="wrap">
          <Text c="dimmed" fw={600} data-testid="case-number">
            {detail.number}
          </Text>
          <CaseStatusBadge status={detail.status} />
        </Group>
        <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
          <Title order={1} style={{ overflowWrap: 'anywhere' }}>
            {detail.subject}
          </Title>
          <CaseTransitions detail={detail} />
        </Group>
      </div>
      {notice && (
        <Alert color="green" variant="light" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {isAgent && detail.secretOverride && (
        <Alert color="orange" variant="light" title="Secret warning overridden" data-testid="secret-override-notice">
          {detail.secretOverride.findings.map((finding, index) => (
            <Text size="sm" key={`${finding.kind}-${index}`}>
              The contact submitted this despite a secret warning: {finding.kind}{' '}
              <Text span ff="monospace" size="sm">
                {finding.preview}
              </Text>
            </Text>
          ))}
        </Alert>
      )}
      <Paper withBorder shadow="xs" p="lg">
        <CaseFacts detail={detail} isAgent={isAgent} />
      </Paper>
      {isAgent && <AgentControls detail={detail} />}
      <Paper withBorder shadow="xs" p="lg" component="section" aria-labelledby="case-description">
        <Title order={2} size="h4" id="case-description" mb="xs">
          Description
        </Title>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {detail.description}
        </Text>
      </Paper>
      <Paper withBorder shadow="xs" p="lg" component="section" aria-labelledby="case-conversation">
        <Stack gap="sm">
          <Title order={2} size="h4" id="case-conversation">
            Conversation
          </Title>
          {detail.messages.length === 0 && (
            <Text size="sm" c="dimmed">
              No replies yet.
            </Text>
          )}
          {detail.messages.map((message) => (
            <MessageItem key={message.id} message={message} isAgent={isAgent} />
          ))}
          {detail.can.reply && <ReplyForm detail={detail} isAgent={isAgent} />}
        </Stack>
      </Paper>
      <Paper withBorder shadow="xs" p="lg" component="section" aria-labelledby="case-attachments">
        <Stack gap="sm">
          <Title order={2} size="h4" id="case-attachments">
            Attachments
          </Title>
          <Attachments detail={detail} isAgent={isAgent} userName={userName} />
          {detail.can.addFiles && (
            <Stack gap="xs">
              <Title order={3} size="h5">
                Upload Files
              </Title>
              <FileUploader caseId={detail.id} showFedrampCaution={showFedrampCaution} onAttached={() => void result.refetch()} />
            </Stack>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
