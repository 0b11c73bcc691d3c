/** Stub: filled in by the issue 7 work. */
export function CustomerCareCasePage() {
  return null;
}
