/** Stub: filled in by the issue 7 work. */
export function ChatPage() {
  return null;
}
