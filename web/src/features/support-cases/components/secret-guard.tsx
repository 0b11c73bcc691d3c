import { Alert, Button, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useCallback, useRef, useState, type RefObject } from 'react';
import { SECRET_DETECTED_MESSAGE } from '../../../../../common/schemas/support-cases.js';
import { SecretWarning, type SecretWarningState } from '../../support';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { isSecretDetected, type SecretFinding } from '../support-cases.api';

const NO_WARNING: SecretWarningState = { findings: [], isSubmitAnywayChosen: false };

/**
 * The secret warning around a Description: the browser's check while typing, and the server's
 * 422 secret_detected on submit, which the contact answers with Edit or Submit anyway.
 */
export function useSecretGuard() {
  const [warning, setWarning] = useState<SecretWarningState>(NO_WARNING);
  const [serverFindings, setServerFindings] = useState<SecretFinding[] | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const onWarningChange = useCallback((state: SecretWarningState) => setWarning(state), []);

  return {
    textareaRef,
    onWarningChange,
    serverFindings,
    /** What to send as secretOverride unless the contact chose Submit anyway on the server's warning. */
    isOverrideChosen: warning.isSubmitAnywayChosen,
    /**
     * Call first on Submit: true when the browser's check found a secret the contact has not chosen
     * to submit anyway; the warning with Edit and Submit anyway is then shown and nothing is sent.
     */
    interceptSubmit: (): boolean => {
      if (warning.findings.length === 0 || warning.isSubmitAnywayChosen) return false;
      setServerFindings(warning.findings.map(({ kind, preview }) => ({ kind, preview })));
      return true;
    },
    /** Call with a failed submission's error: true when it was the secret warning (now shown). */
    catchSecret: (error: unknown): boolean => {
      if (!isSecretDetected(error)) return false;
      setServerFindings(error.findings);
      return true;
    },
    dismiss: () => setServerFindings(null),
    edit: () => {
      setServerFindings(null);
      textareaRef.current?.focus();
    },
  };
}

interface DescriptionFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onWarningChange: (state: SecretWarningState) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  error?: string;
  description?: string;
  placeholder?: string;
  disabled?: boolean;
  minRows?: number;
  /** False while the Edit / Submit anyway decision is shown, so the same findings are not listed twice. */
  isWarningShown?: boolean;
  isRequired?: boolean;
}

/** A Description box with the secret warning under it. */
export function DescriptionField({
  label,
  value,
  onChange,
  onWarningChange,
  textareaRef,
  error,
  description,
  placeholder,
  disabled,
  minRows = 6,
  isWarningShown = true,
  isRequired = true,
}: DescriptionFieldProps) {
  return (
    <Stack gap="xs">
      <Textarea
        ref={textareaRef}
        label={label}
        description={description}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={error}
        autosize
        minRows={minRows}
        maxRows={20}
        withAsterisk={isRequired}
        disabled={disabled}
      />
      {isWarningShown && <SecretWarning text={value} onStateChange={onWarningChange} />}
    </Stack>
  );
}

interface SecretDetectedAlertProps {
  findings: SecretFinding[];
  onEdit: () => void;
  onSubmitAnyway: () => void;
  isSubmitting: boolean;
}

/** The server found a secret in what was submitted: name it, masked, and offer Edit or Submit anyway. */
export function SecretDetectedAlert({ findings, onEdit, onSubmitAnyway, isSubmitting }: SecretDetectedAlertProps) {
  return (
    <Alert color="orange" variant="light" title="This looks like a credential or secret" role="alert" data-testid="secret-detected">
      <Stack gap="xs">
        <Text size="sm">{SECRET_DETECTED_MESSAGE}</Text>
        <List size="sm" spacing={4}>
          {findings.map((finding, index) => (
            <List.Item key={`${finding.kind}-${index}`}>
              <Text span fw={600} size="sm">
                {finding.kind}:
              </Text>{' '}
              <Text span ff="monospace" size="sm">
                {finding.preview}
              </Text>
            </List.Item>
          ))}
        </List>
        <Group gap="sm">
          <Button variant="default" onClick={onEdit}>
            Edit
          </Button>
          <Button color="orange" onClick={onSubmitAnyway} loading={isSubmitting}>
            Submit anyway
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** A failed submission's message for the form's foot, unless the form shows it on its fields (400 issues) or as the secret warning. */
export function getGeneralError(error: unknown, fields: readonly string[]): string | null {
  if (isSecretDetected(error)) return null;
  const fieldErrors = getFieldErrors(error);
  if (fields.some((field) => fieldErrors[field] !== undefined)) return null;
  return getErrorMessage(error);
}
