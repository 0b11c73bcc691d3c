import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { CASE_DESCRIPTION_MAX_LENGTH, type SupportProductResponse } from '../../../../../common/schemas/support-cases.js';
import { NEW_CASE_LABEL, type StartChatBody } from '../../../../../common/schemas/support-chat.js';

type Field = 'product' | 'productVersion' | 'operatingSystem' | 'caseId' | 'description';
export type NewChatFormErrors = Partial<Record<Field, string>>;

/** The value of the Support Case Number menu's "New Case" option. */
const NEW_CASE = 'new';

export interface OpenCaseOption {
  id: string;
  number: string;
  subject: string;
}

interface NewChatFormProps {
  products: SupportProductResponse[];
  operatingSystems: readonly string[];
  /** The contact's open cases, for the Support Case Number menu. */
  openCases: OpenCaseOption[];
  isSubmitting: boolean;
  /** From the server: field errors, and one general message (an eligibility refusal, say). */
  serverErrors?: NewChatFormErrors;
  serverMessage?: string | null;
  onSubmit(body: StartChatBody): void;
}

/**
 * The seed's New Chat Support Session, in its order: Product, Product Version (only for a product
 * with versions), Operating System, Support Case Number (an open case, or New Case), Description,
 * Submit.
 */
export function NewChatForm({
  products,
  operatingSystems,
  openCases,
  isSubmitting,
  serverErrors,
  serverMessage,
  onSubmit,
}: NewChatFormProps) {
  const [product, setProduct] = useState('');
  const [productVersion, setProductVersion] = useState('');
  const [operatingSystem, setOperatingSystem] = useState('');
  const [caseChoice, setCaseChoice] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<NewChatFormErrors>({});

  const versions = products.find((candidate) => candidate.name === product)?.versions ?? [];
  const shown = { ...serverErrors, ...errors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: NewChatFormErrors = {};
    if (!product) next.product = 'Select a product.';
    if (versions.length > 0 && !productVersion) next.productVersion = 'Select the product version.';
    if (!operatingSystem) next.operatingSystem = 'Select the operating system.';
    if (!caseChoice) next.caseId = `Select a support case number, or ${NEW_CASE_LABEL}.`;
    if (!description.trim()) next.description = 'Describe the issue.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    onSubmit({
      product,
      productVersion: versions.length > 0 ? productVersion : null,
      operatingSystem: operatingSystem as StartChatBody['operatingSystem'],
      caseId: caseChoice === NEW_CASE ? null : caseChoice,
      description: description.trim(),
    });
  };

  return (
    <Paper withBorder shadow="xs" p="lg" maw={720}>
      <form onSubmit={submit} noValidate aria-label="New Chat Support Session">
        <Stack gap="md">
          <NativeSelect
            label="Product"
            required
            withAsterisk
            value={product}
            error={shown.product}
            onChange={(event) => {
              setProduct(event.currentTarget.value);
              setProductVersion('');
            }}
            data={[{ value: '', label: 'Select a product' }, ...products.map((candidate) => candidate.name)]}
          />
          {versions.length > 0 && (
            <NativeSelect
              label="Product Version"
              required
              value={productVersion}
              error={shown.productVersion}
              onChange={(event) => setProductVersion(event.currentTarget.value)}
              data={[{ value: '', label: 'Select a version' }, ...versions]}
            />
          )}
          <NativeSelect
            label="Operating System"
            required
            withAsterisk
            value={operatingSystem}
            error={shown.operatingSystem}
            onChange={(event) => setOperatingSystem(event.currentTarget.value)}
            data={[{ value: '', label: 'Select an operating system' }, ...operatingSystems]}
          />
          <NativeSelect
            label="Support Case Number"
            required
            withAsterisk
            value={caseChoice}
            error={shown.caseId}
            description="The case this chat is about; New Case opens one."
            onChange={(event) => setCaseChoice(event.currentTarget.value)}
            data={[
              { value: '', label: 'Select a case' },
              ...openCases.map((option) => ({ value: option.id, label: `${option.number} - ${option.subject}` })),
              { value: NEW_CASE, label: NEW_CASE_LABEL },
            ]}
          />
          <Textarea
            label="Description"
            required
            withAsterisk
            rows={6}
            maxLength={CASE_DESCRIPTION_MAX_LENGTH}
            value={description}
            error={shown.description}
            description="A detailed description of the issue you are experiencing."
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          {serverMessage && (
            <Alert color="red" variant="light" role="alert">
              <Text size="sm">{serverMessage}</Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={isSubmitting}>
              Submit
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
