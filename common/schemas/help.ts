import { z } from 'zod';

export const HELP_DOCUMENTS = ['readme', 'architecture', 'release-notes'] as const;
export const HelpDocumentParams = z.object({ document: z.enum(HELP_DOCUMENTS) });
export type HelpDocumentParams = z.infer<typeof HelpDocumentParams>;

export const HelpDocumentResponse = z.object({ title: z.string(), markdown: z.string() });
export type HelpDocumentResponse = z.infer<typeof HelpDocumentResponse>;
