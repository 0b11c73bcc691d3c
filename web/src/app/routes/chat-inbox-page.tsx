/** Stub: filled in by the issue 7 work. */
export function ChatInboxPage() {
  return null;
}
