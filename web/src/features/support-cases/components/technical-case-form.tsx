import { Alert, Anchor, Button, Group, List, NativeSelect, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  CASE_PRIORITIES,
  CASE_PRIORITY_LABELS,
  CASE_SUBJECT_MAX_LENGTH,
  OPERATING_SYSTEMS,
  type CasePriority,
  type SuggestionsResponse,
  type SupportProductResponse,
} from '../../../../../common/schemas/support-cases.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { FileUploader, type UploadedFile } from '../../support-uploads';
import { useCreateTechnicalCase, useRecordSuggestionOutcome, useSuggestions } from '../support-cases.api';
import { DescriptionField, getGeneralError, SecretDetectedAlert, useSecretGuard } from './secret-guard';

/** The seed's note on the FedRAMP question, shown once Yes is chosen. */
export const FEDRAMP_QUESTION_NOTE =
  'When you select Yes on the FedRAMP question, the Upload Files section is hidden and any files already added are removed from the case. FedRAMP cases route through a separate intake that does not accept file attachments at submission time.';

/** Where "This solved my issue" leads: back to the Support page with this note. */
export const SUGGESTIONS_SOLVED_NOTICE = 'Glad the suggestions helped. No case was opened; come back here any time you need us.';

type Step = 'details' | 'suggestions' | 'review';
type Field = 'priority' | 'product' | 'productVersion' | 'subject' | 'operatingSystem' | 'isFedramp' | 'description';
type Errors = Partial<Record<Field, string>>;

interface TechnicalCaseFormProps {
  products: SupportProductResponse[];
  operatingSystems: readonly string[];
  isFedrampAccount: boolean;
}

/**
 * The seed's New Technical Support Case, in its order: Priority, Product, Product Version, Subject,
 * Next; the Suggestions section, Continue; the Review section (Operating System, FedRAMP, Issue
 * Details, Upload Files), Submit.
 */
export function TechnicalCaseForm({ products, operatingSystems, isFedrampAccount }: TechnicalCaseFormProps) {
  const navigate = useNavigate();
  const suggestions = useSuggestions();
  const outcome = useRecordSuggestionOutcome();
  const create = useCreateTechnicalCase();
  const guard = useSecretGuard();

  const [step, setStep] = useState<Step>('details');
  const [priority, setPriority] = useState<CasePriority | ''>('');
  const [product, setProduct] = useState('');
  const [productVersion, setProductVersion] = useState('');
  const [subject, setSubject] = useState('');
  const [visit, setVisit] = useState<SuggestionsResponse | null>(null);
  const [operatingSystem, setOperatingSystem] = useState('');
  const [fedramp, setFedramp] = useState<'' | 'yes' | 'no'>('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [errors, setErrors] = useState<Errors>({});

  // Bring the section that just appeared into view (Suggestions after Next, Review after Continue).
  useEffect(() => {
    const target = step === 'suggestions' ? 'suggestions-title' : step === 'review' ? 'review-title' : null;
    if (target) document.getElementById(target)?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [step]);

  const versions = products.find((candidate) => candidate.name === product)?.versions ?? [];
  const hasVersions = versions.length > 0;
  const osChoices = operatingSystems.length > 0 ? operatingSystems : OPERATING_SYSTEMS;
  const isFedrampCase = fedramp === 'yes';

  const validateDetails = (): boolean => {
    const next: Errors = {};
    if (!priority) next.priority = 'Select a priority.';
    if (!product) next.product = 'Select a product.';
    if (hasVersions && !productVersion) next.productVersion = 'Select the product version.';
    if (!subject.trim()) next.subject = 'Enter a subject.';
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const handleNext = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!validateDetails() || !priority) return;
    suggestions.mutate(
      { priority, product, productVersion: hasVersions ? productVersion : null, subject },
      {
        onSuccess: (data) => {
          setVisit(data);
          setStep('suggestions');
        },
        onError: (error) => setErrors(getFieldErrors(error)),
      },
    );
  };

  const handleSolved = () => {
    if (!visit) return;
    outcome.mutate(
      { visitId: visit.visitId, outcome: 'left' },
      { onSettled: () => void navigate('/support', { state: { notice: SUGGESTIONS_SOLVED_NOTICE } }) },
    );
  };

  const handleContinue = () => {
    if (visit) outcome.mutate({ visitId: visit.visitId, outcome: 'continued' });
    setStep('review');
  };

  const handleChangeDetails = () => {
    setStep('details');
    setVisit(null);
  };

  const handleFedrampChange = (value: string) => {
    const answer = value === 'yes' ? 'yes' : 'no';
    setFedramp(answer);
    // A FedRAMP case takes no files at submission: forget those added (the uploader unmounts too).
    if (answer === 'yes') setFiles([]);
  };

  const validateReview = (): boolean => {
    const next: Errors = {};
    if (!operatingSystem) next.operatingSystem = 'Select the operating system.';
    if (!fedramp) next.isFedramp = 'Answer the FedRAMP question.';
    if (!description.trim()) next.description = 'Enter a description.';
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = (secretOverride: boolean) => {
    if (!priority) return;
    create.mutate(
      {
        priority,
        product,
        productVersion: hasVersions ? productVersion : null,
        subject,
        operatingSystem: operatingSystem as (typeof OPERATING_SYSTEMS)[number],
        isFedramp: isFedrampCase,
        description,
        uploadIds: isFedrampCase ? [] : files.map((file) => file.uploadId),
        suggestionVisitId: visit?.visitId ?? null,
        secretOverride,
      },
      {
        onSuccess: (created) => {
          void navigate(`/support/cases/${created.id}`, {
            state: { notice: `Technical Support case ${created.number} created. You can view and manage it on the My Cases page.` },
          });
        },
        onError: (error) => {
          if (guard.catchSecret(error)) return;
          const fieldErrors = getFieldErrors(error);
          setErrors(fieldErrors);
          if (['priority', 'product', 'productVersion', 'subject'].some((field) => fieldErrors[field] !== undefined)) setStep('details');
        },
      },
    );
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    guard.dismiss();
    if (!validateReview() || guard.interceptSubmit()) return;
    submit(guard.isOverrideChosen);
  };

  const isDetailsLocked = step !== 'details';
  const submitError =
    create.isError && !guard.serverFindings ? getGeneralError(create.error, ['operatingSystem', 'isFedramp', 'description']) : null;

  return (
    <Stack gap="lg">
      <Paper withBorder shadow="xs" p="lg" component="form" onSubmit={handleNext} noValidate aria-label="Case details">
        <Stack gap="md">
          <NativeSelect
            label="Priority"
            withAsterisk
            data={[
              { value: '', label: 'Select a priority' },
              ...CASE_PRIORITIES.map((value) => ({ value, label: CASE_PRIORITY_LABELS[value] })),
            ]}
            value={priority}
            onChange={(event) => setPriority(event.currentTarget.value as CasePriority | '')}
            error={errors.priority}
            disabled={isDetailsLocked}
          />
          <NativeSelect
            label="Product"
            withAsterisk
            data={[{ value: '', label: 'Select a product' }, ...products.map((item) => item.name)]}
            value={product}
            onChange={(event) => {
              setProduct(event.currentTarget.value);
              setProductVersion('');
            }}
            error={errors.product}
            disabled={isDetailsLocked}
          />
          {hasVersions && (
            <NativeSelect
              label="Product Version"
              withAsterisk
              data={[{ value: '', label: 'Select the version' }, ...versions]}
              value={productVersion}
              onChange={(event) => setProductVersion(event.currentTarget.value)}
              error={errors.productVersion}
              disabled={isDetailsLocked}
            />
          )}
          <TextInput
            label="Subject"
            withAsterisk
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            maxLength={CASE_SUBJECT_MAX_LENGTH}
            error={errors.subject}
            disabled={isDetailsLocked}
          />
          {suggestions.isError && !getFieldErrors(suggestions.error).subject && (
            <Alert color="red" variant="light" role="alert">
              {getErrorMessage(suggestions.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            {isDetailsLocked ? (
              <Button variant="default" onClick={handleChangeDetails}>
                Change details
              </Button>
            ) : (
              <>
                <Button component={Link} to="/support" variant="default">
                  Cancel
                </Button>
                <Button type="submit" loading={suggestions.isPending}>
                  Next
                </Button>
              </>
            )}
          </Group>
        </Stack>
      </Paper>

      {visit && (
        <Paper withBorder shadow="xs" p="lg" component="section" aria-labelledby="suggestions-title">
          <Stack gap="md">
            <div>
              <Title order={2} size="h3" id="suggestions-title">
                Suggestions
              </Title>
              <Text size="sm" c="dimmed">
                These articles may resolve your issue without opening a support case. They open in a new tab.
              </Text>
            </div>
            {visit.articles.length === 0 ? (
              <Text size="sm">No articles match this subject. Continue to open the case.</Text>
            ) : (
              <List spacing="sm" listStyleType="none" p={0}>
                {visit.articles.map((article) => (
                  <List.Item key={article.slug}>
                    <Anchor href={`/support/kb/${encodeURIComponent(article.slug)}`} target="_blank" rel="noopener" fw={600}>
                      {article.title} <IconExternalLink size={14} aria-label="(opens in a new tab)" />
                    </Anchor>
                    {article.summary && (
                      <Text size="sm" c="dimmed">
                        {article.summary}
                      </Text>
                    )}
                  </List.Item>
                ))}
              </List>
            )}
            {step === 'suggestions' && (
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={handleSolved} loading={outcome.isPending && outcome.variables.outcome === 'left'}>
                  This solved my issue
                </Button>
                <Button onClick={handleContinue}>Continue</Button>
              </Group>
            )}
          </Stack>
        </Paper>
      )}

      {step === 'review' && (
        <Paper withBorder shadow="xs" p="lg" component="form" onSubmit={handleSubmit} noValidate aria-labelledby="review-title">
          <Stack gap="md">
            <Title order={2} size="h3" id="review-title">
              Review
            </Title>
            <NativeSelect
              label="Operating System"
              withAsterisk
              data={[{ value: '', label: 'Select the operating system' }, ...osChoices]}
              value={operatingSystem}
              onChange={(event) => setOperatingSystem(event.currentTarget.value)}
              error={errors.operatingSystem}
            />
            <Radio.Group
              label="FedRAMP"
              description="Does this support case include FedRAMP specific information?"
              withAsterisk
              value={fedramp || null}
              onChange={handleFedrampChange}
              error={errors.isFedramp}
            >
              <Group gap="lg" mt="xs">
                <Radio value="yes" label="Yes" />
                <Radio value="no" label="No" />
              </Group>
            </Radio.Group>
            {isFedrampCase && (
              <Alert color="blue" variant="light" title="Note">
                {FEDRAMP_QUESTION_NOTE}
              </Alert>
            )}
            <Title order={3} size="h4">
              Issue Details
            </Title>
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
            {!isFedrampCase && (
              <Stack gap="xs">
                <Title order={3} size="h4">
                  Upload Files
                </Title>
                <FileUploader showFedrampCaution={isFedrampAccount} onChange={setFiles} disabled={create.isPending} />
              </Stack>
            )}
            {guard.serverFindings && (
              <SecretDetectedAlert
                findings={guard.serverFindings}
                onEdit={guard.edit}
                onSubmitAnyway={() => submit(true)}
                isSubmitting={create.isPending}
              />
            )}
            {submitError && (
              <Alert color="red" variant="light" role="alert">
                {submitError}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={create.isPending && !guard.serverFindings}>
                Submit
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
