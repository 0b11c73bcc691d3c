/** Stub: filled in by the issue 7 work. */
export function TechnicalCasePage() {
  return null;
}
