import { Alert, Button, Group, NativeSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { CASE_SUBJECT_MAX_LENGTH, type CareCategoryResponse } from '../../../../../common/schemas/support-cases.js';
import { getFieldErrors } from '../../../lib/api-client';
import { FileUploader, type UploadedFile } from '../../support-uploads';
import { useCreateCustomerCareCase } from '../support-cases.api';
import { DescriptionField, getGeneralError, SecretDetectedAlert, useSecretGuard } from './secret-guard';

interface CustomerCareCaseFormProps {
  categories: CareCategoryResponse[];
  isFedrampAccount: boolean;
}

type Field = 'category' | 'issueType' | 'subject' | 'description';

/** The seed's New Customer Care Case: I Need Help With, Customer Care Issues, Subject, Description, Upload Files, Submit. */
export function CustomerCareCaseForm({ categories, isFedrampAccount }: CustomerCareCaseFormProps) {
  const navigate = useNavigate();
  const create = useCreateCustomerCareCase();
  const guard = useSecretGuard();
  const [category, setCategory] = useState('');
  const [issueType, setIssueType] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  const issueTypes = categories.find((candidate) => candidate.name === category)?.issueTypes ?? [];

  const validate = (): boolean => {
    const next: Partial<Record<Field, string>> = {};
    if (!category) next.category = 'Select what you need help with.';
    if (!issueType) next.issueType = 'Select the issue.';
    if (!subject.trim()) next.subject = 'Enter a subject.';
    if (!description.trim()) next.description = 'Enter a description.';
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = (secretOverride: boolean) => {
    create.mutate(
      { category, issueType, subject, description, uploadIds: files.map((file) => file.uploadId), secretOverride },
      {
        onSuccess: (created) => {
          void navigate(`/support/cases/${created.id}`, {
            state: { notice: `Customer Care case ${created.number} created. You can view and manage it on the My Cases page.` },
          });
        },
        onError: (error) => {
          if (guard.catchSecret(error)) return;
          setErrors(getFieldErrors(error));
        },
      },
    );
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    guard.dismiss();
    if (!validate() || guard.interceptSubmit()) return;
    submit(guard.isOverrideChosen);
  };

  const generalError =
    create.isError && !guard.serverFindings ? getGeneralError(create.error, ['category', 'issueType', 'subject', 'description']) : null;

  return (
    <Paper withBorder shadow="xs" p="lg" component="form" onSubmit={handleSubmit} noValidate aria-label="New Customer Care Case">
      <Stack gap="md">
        <NativeSelect
          label="I Need Help With"
          withAsterisk
          data={[{ value: '', label: 'Select a category' }, ...categories.map((item) => item.name)]}
          value={category}
          onChange={(event) => {
            setCategory(event.currentTarget.value);
            // Another category has other issue types: the choice made for the last one no longer applies.
            setIssueType('');
          }}
          error={errors.category}
        />
        <NativeSelect
          label="Customer Care Issues"
          withAsterisk
          description={category ? undefined : 'Select a category in I Need Help With first.'}
          data={[{ value: '', label: category ? 'Select the issue' : 'Select a category first' }, ...issueTypes]}
          value={issueType}
          onChange={(event) => setIssueType(event.currentTarget.value)}
          disabled={!category}
          error={errors.issueType}
        />
        <TextInput
          label="Subject"
          withAsterisk
          value={subject}
          onChange={(event) => setSubject(event.currentTarget.value)}
          maxLength={CASE_SUBJECT_MAX_LENGTH}
          error={errors.subject}
        />
        <DescriptionField
          label="Description"
          description="Include any details that may help resolve it."
          value={description}
          onChange={setDescription}
          onWarningChange={guard.onWarningChange}
          textareaRef={guard.textareaRef}
          error={errors.description}
          isWarningShown={!guard.serverFindings}
        />
        <Stack gap="xs">
          <Title order={3} size="h4">
            Upload Files
          </Title>
          <FileUploader showFedrampCaution={isFedrampAccount} onChange={setFiles} disabled={create.isPending} />
        </Stack>
        {guard.serverFindings && (
          <SecretDetectedAlert
            findings={guard.serverFindings}
            onEdit={guard.edit}
            onSubmitAnyway={() => submit(true)}
            isSubmitting={create.isPending}
          />
        )}
        {generalError && (
          <Alert color="red" variant="light" role="alert">
            {generalError}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button component={Link} to="/support" variant="default">
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending && !guard.serverFindings}>
            Submit
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
