/** Stub: filled in by the issue 7 work. */
export function SupportContactsPage() {
  return null;
}
