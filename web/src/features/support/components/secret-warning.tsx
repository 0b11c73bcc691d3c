import { Alert, Checkbox, List, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import type { SecretFindingResponse } from '../../../../../common/schemas/support.js';
import { useSecretCheck } from '../secret-check.api';

/** Wait this long after typing stops before asking the server. */
export const SECRET_CHECK_DELAY_MS = 400;

export interface SecretWarningState {
  findings: SecretFindingResponse[];
  /** True only while findings are shown and the contact ticked "Submit anyway" for exactly these. */
  isSubmitAnywayChosen: boolean;
}

interface SecretWarningProps {
  text: string;
  /** Tells the form what to submit: the case records an override when findings remain and this was chosen. */
  onStateChange?: (state: SecretWarningState) => void;
}

/** Identifies a set of findings, so a choice made for one set does not carry over to the next. */
function signatureOf(findings: SecretFindingResponse[]): string {
  return findings.map((finding) => `${finding.kind}@${finding.start}-${finding.end}`).join('|');
}

/**
 * Warns, before a Support description is submitted, that it seems to hold a credential: names
 * each kind with a masked preview, and lets the contact edit the text or submit anyway.
 */
export function SecretWarning({ text, onStateChange }: SecretWarningProps) {
  const [debouncedText] = useDebouncedValue(text, SECRET_CHECK_DELAY_MS);
  const check = useSecretCheck(debouncedText);
  const findings = useMemo(() => check.data?.findings ?? [], [check.data]);
  const signature = signatureOf(findings);
  const [chosenFor, setChosenFor] = useState<string | null>(null);
  const isSubmitAnywayChosen = findings.length > 0 && chosenFor === signature;

  useEffect(() => {
    onStateChange?.({ findings, isSubmitAnywayChosen });
  }, [findings, isSubmitAnywayChosen, onStateChange]);

  if (findings.length === 0) return null;
  return (
    <Alert color="orange" title="This description seems to contain a secret" role="alert">
      <Stack gap="xs">
        <Text size="sm">Remove it before you submit: anyone working on the case can read the description.</Text>
        <List size="sm" spacing={4}>
          {findings.map((finding) => (
            <List.Item key={`${finding.start}-${finding.end}`}>
              <Text span fw={600} size="sm">
                {finding.kind}:
              </Text>{' '}
              <Text span ff="monospace" size="sm">
                {finding.preview}
              </Text>
            </List.Item>
          ))}
        </List>
        <Checkbox
          label="Submit anyway: this is not a secret, or I accept that Support will see it"
          checked={isSubmitAnywayChosen}
          onChange={(event) => setChosenFor(event.currentTarget.checked ? signature : null)}
        />
      </Stack>
    </Alert>
  );
}
