import { Alert, Autocomplete, Button, Group, Paper, Select, Stack, Switch, Tabs, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  KB_AUDIENCE_LABELS,
  KB_AUDIENCES,
  KB_GUIDE_SLUGS,
  KB_PRODUCTS,
  SaveKbArticleBody,
  type KbArticleResponse,
  type KbAudience,
} from '../../../../../common/schemas/knowledge-base.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { useSaveKbArticle } from '../knowledge-base.api';
import { KbArticleView } from './kb-article-view';

interface FormValues {
  slug: string;
  title: string;
  summary: string;
  product: string;
  audience: KbAudience;
  isPublished: boolean;
  body: string;
}

const EMPTY: FormValues = { slug: '', title: '', summary: '', product: '', audience: 'signed_in', isPublished: false, body: '' };

const AUDIENCE_OPTIONS = KB_AUDIENCES.map((value) => ({ value, label: KB_AUDIENCE_LABELS[value] }));

function toValues(article: KbArticleResponse | null): FormValues {
  if (!article) return EMPTY;
  const { slug, title, summary, product, audience, isPublished, body } = article;
  return { slug, title, summary, product: product ?? '', audience, isPublished, body };
}

function toBody(values: FormValues): unknown {
  return { ...values, product: values.product.trim() || null };
}

/** "Scan import errors" -> "scan-import-errors": a first slug for a new article. */
function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

/** The same schema as the server: the first message of each field. */
function validate(values: FormValues): Record<string, string> {
  const parsed = SaveKbArticleBody.safeParse(toBody(values));
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= issue.message;
  }
  return errors;
}

interface KbArticleFormProps {
  /** null: a new article. */
  article: KbArticleResponse | null;
  onSaved: (article: KbArticleResponse) => void;
  onCancel: () => void;
}

/** The support agents' editor: Markdown body with a preview of what readers will see. */
export function KbArticleForm({ article, onSaved, onCancel }: KbArticleFormProps) {
  const save = useSaveKbArticle();
  const form = useForm<FormValues>({ initialValues: toValues(article), validate });
  // The Support page links the guides for anyone: their slug, audience and publication are fixed.
  const isGuide = article !== null && (KB_GUIDE_SLUGS as readonly string[]).includes(article.slug);

  const handleSubmit = form.onSubmit((values) => {
    save.mutate(
      { id: article?.id ?? null, body: SaveKbArticleBody.parse(toBody(values)) },
      { onSuccess: (saved) => onSaved(saved), onError: (error) => form.setErrors(getFieldErrors(error)) },
    );
  });

  const fillSlug = () => {
    if (article === null && !form.values.slug) form.setFieldValue('slug', slugify(form.values.title));
  };

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md" maw={920}>
        {save.isError && Object.keys(getFieldErrors(save.error)).length === 0 && (
          <Alert color="red" title="The article was not saved">
            {getErrorMessage(save.error)}
          </Alert>
        )}
        <TextInput label="Title" required {...form.getInputProps('title')} onBlur={fillSlug} />
        <TextInput
          label="Slug"
          description={isGuide ? 'The Support page links this guide by its slug.' : 'The address of the article: /support/kb/<slug>'}
          required
          disabled={isGuide}
          autoCapitalize="none"
          spellCheck={false}
          {...form.getInputProps('slug')}
        />
        <Textarea
          label="Summary"
          description="One or two sentences shown in Suggestions."
          autosize
          minRows={2}
          {...form.getInputProps('summary')}
        />
        <Autocomplete
          label="Product"
          description="Leave empty for an article about no product in particular."
          data={[...KB_PRODUCTS]}
          {...form.getInputProps('product')}
        />
        <Group grow align="flex-start">
          <Select label="Readers" data={AUDIENCE_OPTIONS} allowDeselect={false} disabled={isGuide} {...form.getInputProps('audience')} />
          <Switch label="Published" mt={30} disabled={isGuide} {...form.getInputProps('isPublished', { type: 'checkbox' })} />
        </Group>
        <Tabs defaultValue="write">
          <Tabs.List>
            <Tabs.Tab value="write">Write</Tabs.Tab>
            <Tabs.Tab value="preview">Preview</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="sm">
            <Textarea label="Body (Markdown)" required autosize minRows={12} maxRows={30} {...form.getInputProps('body')} />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="sm">
            <Paper withBorder p="md" bg="var(--bulwark-surface)">
              <KbArticleView
                titleOrder={2}
                article={{
                  ...form.values,
                  product: form.values.product || null,
                  updatedAt: article?.updatedAt ?? new Date().toISOString(),
                }}
              />
            </Paper>
          </Tabs.Panel>
        </Tabs>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {article ? 'Save article' : 'Create article'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
