import {
  Alert,
  Button,
  Collapse,
  Group,
  List,
  NumberInput,
  Paper,
  PasswordInput,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertTriangle, IconChevronDown, IconChevronRight, IconCircleCheck } from '@tabler/icons-react';
import { useId, useState, type FormEvent } from 'react';
import {
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
  type ConnectorFieldResponse,
  type ConnectorResponse,
  type IntegrationResponse,
  type TestConnectionResponse,
} from '../../../../../common/schemas/integrations.js';
import { getErrorMessage, isApiError } from '../../../lib/api-client';
import { useCreateIntegration, useTestConnection, useUpdateIntegration } from '../integrations.api';
import { AccountPicker } from './account-picker';

interface IntegrationFormProps {
  connector: ConnectorResponse;
  /** The saved integration when editing; absent when adding one. */
  integration?: IntegrationResponse;
  onSaved: (integration: IntegrationResponse) => void;
  onCancel: () => void;
}

type Errors = Record<string, string>;

/** Keys of the form's errors: `name`, `values.<field>`, `pollingIntervalMinutes`, `streamIntervals.<stream>`, `targetAccountId`. */
export function readServerErrors(error: unknown): { fields: Errors; general: string | null } {
  if (!isApiError(error)) return { fields: {}, general: getErrorMessage(error) };
  if (error.code === 'conflict') return { fields: { name: error.message }, general: null };
  const fields: Errors = {};
  for (const issue of error.issues) {
    const path = issue.path.replace(/^body\./, '');
    if (path && fields[path] === undefined) fields[path] = issue.message;
  }
  return { fields, general: Object.keys(fields).length > 0 ? null : error.message };
}

function initialValues(connector: ConnectorResponse, integration: IntegrationResponse | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of connector.fields) {
    // Secrets are never sent back: the field stays empty (the mask is its placeholder) unless changed.
    if (field.kind === 'secret') values[field.name] = '';
    else values[field.name] = integration ? (integration.values[field.name] ?? '') : (field.defaultValue ?? '');
  }
  return values;
}

function parseMinutes(value: string | number): number | null {
  const minutes = typeof value === 'number' ? value : Number(value);
  return value === '' || !Number.isInteger(minutes) ? null : minutes;
}

function checkMinutes(value: string | number): string | null {
  const minutes = parseMinutes(value);
  if (minutes === null) return 'Enter whole minutes.';
  if (minutes < MIN_INTERVAL_MINUTES) return `At least ${MIN_INTERVAL_MINUTES} minute.`;
  if (minutes > MAX_INTERVAL_MINUTES) return 'At most 7 days (10,080 minutes).';
  return null;
}

/** "Access key" -> "Access key." so a sentence can follow it. */
function withFullStop(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function ConnectorField({
  field,
  value,
  savedMask,
  onChange,
  error,
}: {
  field: ConnectorFieldResponse;
  value: string;
  /** The saved secret's mask (on edit). */
  savedMask: string | null;
  onChange: (value: string) => void;
  error?: string;
}) {
  const common = { label: field.label, withAsterisk: field.required && !savedMask, error, value };
  if (field.kind === 'secret') {
    return (
      <PasswordInput
        {...common}
        description={savedMask ? `${withFullStop(field.description)} Leave empty to keep the saved value.` : field.description}
        placeholder={savedMask ?? undefined}
        autoComplete="new-password"
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    );
  }
  if (field.kind === 'pem') {
    return (
      <Textarea
        {...common}
        description={field.description}
        placeholder="-----BEGIN CERTIFICATE-----"
        autosize
        minRows={3}
        maxRows={12}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    );
  }
  return (
    <TextInput
      {...common}
      description={field.description}
      placeholder={field.defaultValue ?? undefined}
      autoComplete="off"
      spellCheck={false}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}

function TestResult({ result }: { result: TestConnectionResponse }) {
  if (result.ok) {
    return (
      <Alert color="green" variant="light" title="Connection succeeded" icon={<IconCircleCheck aria-hidden />} role="status">
        {result.message}
      </Alert>
    );
  }
  return (
    <Alert
      color="red"
      variant="light"
      title={result.error?.title ?? 'Connection failed'}
      icon={<IconAlertTriangle aria-hidden />}
      role="alert"
    >
      <Stack gap={6}>
        <Text size="sm">{result.message}</Text>
        {result.error && (
          <List size="sm" spacing={2}>
            {result.error.advice.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}

/**
 * The seed's settings form, generated from the connector's catalogue entry: a unique name, the
 * connector's fields, the Polling Interval (the first stream; the others at twice that unless set
 * under Advanced settings), Enabled, an optional target account, Test Connection and Save.
 */
export function IntegrationForm({ connector, integration, onSaved, onCancel }: IntegrationFormProps) {
  const create = useCreateIntegration();
  const update = useUpdateIntegration();
  const testConnection = useTestConnection();
  const advancedId = useId();
  const [firstStream, ...otherStreams] = connector.streams;
  const streamOf = (name: string) => integration?.streams.find((stream) => stream.name === name);

  const [name, setName] = useState(integration?.name ?? '');
  const [values, setValues] = useState(() => initialValues(connector, integration));
  const [pollingInterval, setPollingInterval] = useState<string | number>(
    (firstStream && streamOf(firstStream.name)?.intervalMinutes) ?? firstStream?.defaultIntervalMinutes ?? 30,
  );
  const [streamIntervals, setStreamIntervals] = useState<Record<string, string | number>>(() => {
    const initial: Record<string, string | number> = {};
    const polling = (firstStream && streamOf(firstStream.name)?.intervalMinutes) ?? null;
    for (const stream of otherStreams) {
      const saved = streamOf(stream.name)?.intervalMinutes;
      // A stream at twice the Polling Interval follows it: leave the box empty.
      initial[stream.name] = saved !== undefined && polling !== null && saved !== polling * 2 ? saved : '';
    }
    return initial;
  });
  const [isAdvancedOpen, setIsAdvancedOpen] = useState(() => Object.values(streamIntervals).some((value) => value !== ''));
  const [isEnabled, setIsEnabled] = useState(integration?.enabled ?? true);
  const [targetAccountId, setTargetAccountId] = useState<string | null>(integration?.targetAccount?.id ?? null);
  const [errors, setErrors] = useState<Errors>({});
  const [generalError, setGeneralError] = useState<string | null>(null);

  const isSaving = create.isPending || update.isPending;
  const pollingMinutes = parseMinutes(pollingInterval);

  const setValue = (fieldName: string, value: string) => {
    setValues((current) => ({ ...current, [fieldName]: value }));
    // A test of other values no longer says anything about these.
    testConnection.reset();
  };

  /** The values to send: every non-secret field as typed; secrets only when typed (empty keeps the saved one). */
  const valuesToSend = (): Record<string, string> => {
    const sent: Record<string, string> = {};
    for (const field of connector.fields) {
      const value = field.kind === 'pem' ? (values[field.name] ?? '') : (values[field.name] ?? '').trim();
      if (field.kind === 'secret' && value === '') continue;
      if (!integration && value === '') continue;
      sent[field.name] = value;
    }
    return sent;
  };

  const validate = (): boolean => {
    const next: Errors = {};
    if (!name.trim()) next.name = 'Enter a name.';
    for (const field of connector.fields) {
      if (!field.required || (values[field.name] ?? '').trim() !== '') continue;
      // A saved secret left empty is kept.
      if (field.kind === 'secret' && integration?.values[field.name]) continue;
      next[`values.${field.name}`] = `Enter the ${field.label}.`;
    }
    const pollingError = checkMinutes(pollingInterval);
    if (pollingError) next.pollingIntervalMinutes = pollingError;
    for (const stream of otherStreams) {
      const value = streamIntervals[stream.name] ?? '';
      const intervalError = value === '' ? null : checkMinutes(value);
      if (intervalError) next[`streamIntervals.${stream.name}`] = intervalError;
    }
    setErrors(next);
    if (Object.keys(next).some((key) => key.startsWith('streamIntervals.'))) setIsAdvancedOpen(true);
    return Object.keys(next).length === 0;
  };

  const handleError = (error: unknown) => {
    const { fields, general } = readServerErrors(error);
    setErrors(fields);
    setGeneralError(general);
    if (Object.keys(fields).some((key) => key.startsWith('streamIntervals.'))) setIsAdvancedOpen(true);
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setGeneralError(null);
    if (!validate() || pollingMinutes === null) return;
    const intervals: Record<string, number> = {};
    for (const stream of otherStreams) {
      const minutes = parseMinutes(streamIntervals[stream.name] ?? '');
      if (minutes !== null) intervals[stream.name] = minutes;
    }
    const common = { name: name.trim(), values: valuesToSend(), pollingIntervalMinutes: pollingMinutes, streamIntervals: intervals };
    if (integration) {
      update.mutate(
        { id: integration.id, body: { ...common, enabled: isEnabled, targetAccountId } },
        { onSuccess: onSaved, onError: handleError },
      );
    } else {
      create.mutate(
        { ...common, connector: connector.id, enabled: isEnabled, targetAccountId },
        { onSuccess: onSaved, onError: handleError },
      );
    }
  };

  const handleTest = () => {
    setGeneralError(null);
    setErrors({});
    // A value the server refuses (an FQDN that is not a host or URL) is shown on its field, as on Save.
    testConnection.mutate(
      { connector: connector.id, integrationId: integration?.id ?? null, values: valuesToSend() },
      { onError: handleError },
    );
  };

  return (
    <Paper
      withBorder
      shadow="xs"
      p="lg"
      component="form"
      onSubmit={handleSubmit}
      noValidate
      aria-label={integration ? `Edit ${integration.name}` : `New ${connector.label} integration`}
    >
      <Stack gap="md">
        <TextInput
          label="Name"
          description="A unique name for this integration."
          withAsterisk
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.name}
          maxLength={100}
          autoComplete="off"
        />
        {connector.fields.map((field) => (
          <ConnectorField
            key={field.name}
            field={field}
            value={values[field.name] ?? ''}
            savedMask={field.kind === 'secret' ? (integration?.values[field.name] ?? null) : null}
            onChange={(value) => setValue(field.name, value)}
            error={errors[`values.${field.name}`]}
          />
        ))}
        {firstStream && (
          <NumberInput
            label="Polling Interval (minutes)"
            description={`How often ${firstStream.label.toLowerCase()} are fetched (recommended: ${firstStream.defaultIntervalMinutes} minutes).${
              otherStreams.length > 0
                ? ` ${otherStreams.map((stream) => stream.label).join(', ')} run at twice this unless set under Advanced settings.`
                : ''
            }`}
            withAsterisk
            min={MIN_INTERVAL_MINUTES}
            max={MAX_INTERVAL_MINUTES}
            allowDecimal={false}
            allowNegative={false}
            value={pollingInterval}
            onChange={setPollingInterval}
            error={errors.pollingIntervalMinutes}
            styles={{ wrapper: { maxWidth: 320 } }}
          />
        )}
        {otherStreams.length > 0 && (
          <Stack gap="xs">
            <UnstyledButton
              onClick={() => setIsAdvancedOpen((isOpen) => !isOpen)}
              aria-expanded={isAdvancedOpen}
              aria-controls={advancedId}
            >
              <Group gap={6}>
                {isAdvancedOpen ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
                <Text size="sm" fw={600}>
                  Advanced settings
                </Text>
              </Group>
            </UnstyledButton>
            <Collapse expanded={isAdvancedOpen} id={advancedId}>
              <Stack gap="sm" pl="lg">
                {otherStreams.map((stream) => (
                  <NumberInput
                    key={stream.name}
                    label={`${stream.label} interval (minutes)`}
                    description={`Empty: twice the Polling Interval${pollingMinutes ? ` (${pollingMinutes * 2} minutes)` : ''}.`}
                    placeholder={pollingMinutes ? String(pollingMinutes * 2) : undefined}
                    min={MIN_INTERVAL_MINUTES}
                    max={MAX_INTERVAL_MINUTES}
                    allowDecimal={false}
                    allowNegative={false}
                    value={streamIntervals[stream.name] ?? ''}
                    onChange={(value) => setStreamIntervals((current) => ({ ...current, [stream.name]: value }))}
                    error={errors[`streamIntervals.${stream.name}`]}
                    styles={{ wrapper: { maxWidth: 320 } }}
                  />
                ))}
              </Stack>
            </Collapse>
          </Stack>
        )}
        <Switch
          label="Enabled"
          description="A disabled integration keeps its settings and data but does not poll."
          checked={isEnabled}
          onChange={(event) => setIsEnabled(event.currentTarget.checked)}
        />
        <AccountPicker
          value={targetAccountId}
          initialAccount={integration?.targetAccount ?? null}
          onChange={setTargetAccountId}
          error={errors.targetAccountId}
        />
        {testConnection.data && <TestResult result={testConnection.data} />}
        {generalError && (
          <Alert color="red" variant="light" role="alert">
            {generalError}
          </Alert>
        )}
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Button variant="default" onClick={handleTest} loading={testConnection.isPending}>
            Test Connection
          </Button>
          <Group gap="sm">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={isSaving}>
              Save
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
