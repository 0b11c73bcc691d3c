import { Alert } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';

/** A confirmation shown at the top of a page for a few seconds ("Logo created successfully"). */
export function useStatusMessage(durationMs = 6000) {
  const [message, setMessage] = useState<{ text: string; key: number } | null>(null);
  useEffect(() => {
    if (!message) return undefined;
    const timer = window.setTimeout(() => setMessage(null), durationMs);
    return () => window.clearTimeout(timer);
  }, [message, durationMs]);
  const show = useCallback((text: string) => setMessage({ text, key: Date.now() }), []);
  const clear = useCallback(() => setMessage(null), []);
  return { message: message?.text ?? null, show, clear };
}

export function StatusMessage({ message, onClose }: { message: string | null; onClose: () => void }) {
  // The live region stays mounted, so screen readers announce each new message.
  return (
    <div role="status" aria-live="polite">
      {message && (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} aria-hidden />}
          withCloseButton
          onClose={onClose}
          mb="md"
          closeButtonLabel="Dismiss"
        >
          {message}
        </Alert>
      )}
    </div>
  );
}
