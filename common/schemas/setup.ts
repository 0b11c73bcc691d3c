import { z } from 'zod';
import { Password, Username } from './auth.js';

export const SetupStatusResponse = z.object({ isSetupNeeded: z.boolean() });
export type SetupStatusResponse = z.infer<typeof SetupStatusResponse>;

export const CompleteSetupBody = z.object({
  token: z.string().min(16).max(200),
  name: z.string().trim().min(1).max(200),
  username: Username,
  email: z.union([z.email().max(254), z.literal('')]).optional(),
  password: Password,
});
export type CompleteSetupBody = z.infer<typeof CompleteSetupBody>;
