import { Button, Group, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { DomainName } from '../../../../../common/schemas/domains.js';
import { getErrorMessage } from '../../../lib/api-client';
import { useAddDomain } from '../domains.api';

/** One field and a button: the same DomainName schema as the server checks the syntax. */
export function AddDomainForm({ onAdded }: { onAdded: (domain: string) => void }) {
  const addDomain = useAddDomain();
  const form = useForm({
    initialValues: { domain: '' },
    validate: {
      domain: (value) => {
        if (!value.trim()) return 'Enter a domain.';
        const result = DomainName.safeParse(value);
        return result.success ? null : (result.error.issues[0]?.message ?? 'Enter a valid domain.');
      },
    },
  });
  const handleSubmit = form.onSubmit((values) => {
    addDomain.mutate(values.domain.trim(), {
      onSuccess: (added) => {
        form.reset();
        onAdded(added.domain);
      },
      onError: (error) => form.setErrors({ domain: getErrorMessage(error) }),
    });
  });
  return (
    <form onSubmit={handleSubmit} noValidate>
      <Group align="flex-start" gap="sm">
        <TextInput
          aria-label="Domain"
          placeholder="northwind-mssp.example"
          autoCapitalize="none"
          spellCheck={false}
          style={{ flex: 1, maxWidth: 420 }}
          {...form.getInputProps('domain')}
        />
        <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={addDomain.isPending}>
          Add Domain
        </Button>
      </Group>
    </form>
  );
}
