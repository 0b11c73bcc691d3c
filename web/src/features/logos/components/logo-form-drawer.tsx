import { ActionIcon, Alert, Button, Drawer, FileButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconFileTypePng, IconUpload, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH, LOGO_MESSAGES, type LogoResponse } from '../../../../../common/schemas/logos.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { useCreateLogo, useUpdateLogo } from '../logos.api';

interface LogoFormDrawerProps {
  opened: boolean;
  /** The logo to edit; absent: Add Logo. */
  logo?: LogoResponse | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}

/** The seed's Add Logo and Edit Logo planes: Name, and the .png file (✕ removes it, Add File picks another). */
export function LogoFormDrawer({ opened, logo, onClose, onSaved }: LogoFormDrawerProps) {
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="md" title={logo ? 'Edit Logo' : 'Add Logo'}>
      {/* Keyed so each opening starts from the logo as it is. */}
      {opened && <LogoForm key={logo?.id ?? 'new'} logo={logo ?? null} onClose={onClose} onSaved={onSaved} />}
    </Drawer>
  );
}

function LogoForm({ logo, onClose, onSaved }: { logo: LogoResponse | null; onClose: () => void; onSaved: (message: string) => void }) {
  const [name, setName] = useState(logo?.name ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [isExistingFileKept, setIsExistingFileKept] = useState(logo !== null);
  const createLogo = useCreateLogo();
  const updateLogo = useUpdateLogo();
  const mutation = logo ? updateLogo : createLogo;
  const fieldErrors = getFieldErrors(mutation.error);
  const [nameError, setNameError] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameError(trimmed ? null : 'Enter a name for the logo.');
    const hasFile = file !== null || isExistingFileKept;
    setFileError(hasFile ? null : `Add a PNG file of at most ${LOGO_MAX_WIDTH} x ${LOGO_MAX_HEIGHT} pixels.`);
    if (!trimmed || !hasFile) return;
    const onSuccess = () => {
      onSaved(logo ? LOGO_MESSAGES.saved : LOGO_MESSAGES.created);
      onClose();
    };
    if (logo) updateLogo.mutate({ id: logo.id, values: { name: trimmed, file } }, { onSuccess });
    else createLogo.mutate({ name: trimmed, file }, { onSuccess });
  };

  const shownFileName = file?.name ?? (isExistingFileKept ? logo?.fileName : null);
  const fileMessage = fileError ?? fieldErrors.file ?? null;
  const otherError = mutation.isError && !fieldErrors.file && !fieldErrors.name ? getErrorMessage(mutation.error) : null;

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <TextInput
          label="Name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={nameError ?? fieldErrors.name}
          data-autofocus
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            File
          </Text>
          {shownFileName ? (
            <Group gap="xs" wrap="nowrap">
              <IconFileTypePng size={20} aria-hidden />
              <Text size="sm" style={{ flex: 1, wordBreak: 'break-all' }}>
                {shownFileName}
              </Text>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={`Remove ${shownFileName}`}
                onClick={() => {
                  setFile(null);
                  setIsExistingFileKept(false);
                }}
              >
                <IconX size={16} aria-hidden />
              </ActionIcon>
            </Group>
          ) : (
            <FileButton
              onChange={(picked) => {
                setFile(picked);
                setFileError(null);
                mutation.reset();
              }}
              accept="image/png,.png"
            >
              {(props) => (
                <Button {...props} variant="default" leftSection={<IconUpload size={16} aria-hidden />}>
                  Add File
                </Button>
              )}
            </FileButton>
          )}
          <Text size="xs" c={fileMessage ? 'red' : 'dimmed'} mt={6} role={fileMessage ? 'alert' : undefined}>
            {fileMessage ?? `A .png file of at most ${LOGO_MAX_WIDTH} x ${LOGO_MAX_HEIGHT} pixels (and at most 1 MiB).`}
          </Text>
        </div>
        {otherError && (
          <Alert color="red" variant="light" role="alert">
            {otherError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
