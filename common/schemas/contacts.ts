import { z } from 'zod';
import { ROLE_VALUES } from '../permissions.js';
import { Username } from './auth.js';

export const ContactRole = z.union(ROLE_VALUES.map((value) => z.literal(value)));

/** A contact of a customer account. The username is the contact's email address; no password: an invitation is mailed. */
export const CreateContactBody = z.object({
  name: z.string().trim().min(1, 'Enter the contact name.').max(200),
  username: Username,
  role: ContactRole.default(32),
  canManageCases: z.boolean().default(false),
  isPrimaryContact: z.boolean().default(false),
});
export type CreateContactBody = z.input<typeof CreateContactBody>;
export type CreateContactInput = z.output<typeof CreateContactBody>;

export const UpdateContactBody = z.object({
  name: z.string().trim().min(1, 'Enter the contact name.').max(200).optional(),
  role: ContactRole.optional(),
  canManageCases: z.boolean().optional(),
  isPrimaryContact: z.boolean().optional(),
});
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const ContactParams = z.object({ id: z.uuid(), contactId: z.uuid() });
