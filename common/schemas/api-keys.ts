import { z } from 'zod';

export const API_KEYS_REPLACE_WARNING =
  'Any existing API keys are replaced when you click the Generate button. You must update the applications where the previous API keys were used.';

export const API_KEYS_SAVE_CAUTION =
  'After you generate your API keys, copy and save the key to a safe location. Without saving the keys, you cannot retrieve the keys.';

/** A new pair, shown once: only a hash of the secret key is stored. */
export const GeneratedApiKeysResponse = z.object({
  accessKey: z.string().regex(/^[0-9a-f]{64}$/),
  secretKey: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime({ offset: true }),
});
export type GeneratedApiKeysResponse = z.infer<typeof GeneratedApiKeysResponse>;

/** Whether the caller has a pair, never the keys themselves. */
export const ApiKeysStatusResponse = z.object({
  hasKeys: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }).nullable(),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ApiKeysStatusResponse = z.infer<typeof ApiKeysStatusResponse>;
