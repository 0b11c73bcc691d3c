import { z } from 'zod';

/** The longest description the secret check reads; the case forms cap descriptions at the same length. */
export const SECRET_CHECK_MAX_LENGTH = 100_000;

export const SecretCheckBody = z.object({ text: z.string().max(SECRET_CHECK_MAX_LENGTH) });
export type SecretCheckBody = z.infer<typeof SecretCheckBody>;

/** One likely secret: a person-readable kind, a preview with the secret masked, and where it is in the text. */
export const SecretFindingResponse = z.object({
  kind: z.string(),
  preview: z.string(),
  start: z.number().int(),
  end: z.number().int(),
});
export type SecretFindingResponse = z.infer<typeof SecretFindingResponse>;

export const SecretCheckResponse = z.object({ findings: z.array(SecretFindingResponse) });
export type SecretCheckResponse = z.infer<typeof SecretCheckResponse>;
