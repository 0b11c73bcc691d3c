import { Center, Loader } from '@mantine/core';

/** A centred loader for the moment before we know who is signed in. */
export function FullPageLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <Center h="100dvh" role="status" aria-label={label}>
      <Loader size="md" />
    </Center>
  );
}
