import { z } from 'zod';

/** A DNS name with at least two labels (northwind-mssp.example), stored in lowercase. */
export const DomainName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'Enter a domain such as northwind-mssp.example (letters, digits and hyphens, with at least one dot).',
  );

export const AddDomainBody = z.object({ domain: DomainName });
export type AddDomainBody = z.infer<typeof AddDomainBody>;

export const DomainParams = z.object({ domain: z.string().trim().toLowerCase().min(1).max(253) });
export type DomainParams = z.infer<typeof DomainParams>;

export const DomainResponse = z.object({
  domain: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Users whose username is in this domain; a domain in use cannot be removed. */
  userCount: z.number().int(),
});
export type DomainResponse = z.infer<typeof DomainResponse>;

export const DomainListResponse = z.object({ items: z.array(DomainResponse) });
export type DomainListResponse = z.infer<typeof DomainListResponse>;
