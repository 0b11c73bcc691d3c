/**
 * The one error the `.nessus` parser throws for bad input. Its message is written for the person
 * who chose the file and, except for an empty file, names the line and column where reading
 * stopped. The importer maps it to its own refusal (an AppError) without rewording it.
 */

export type NessusFormatErrorReason =
  | 'empty'
  | 'compressed'
  | 'not-xml'
  | 'html'
  | 'nessus-v1'
  | 'wrong-root'
  | 'truncated'
  | 'doctype'
  | 'entity'
  | 'encoding'
  | 'too-large'
  | 'invalid-item'
  | 'malformed';

export class NessusFormatError extends Error {
  override readonly name = 'NessusFormatError';

  constructor(
    readonly reason: NessusFormatErrorReason,
    message: string,
    /** 1-based line where reading stopped; null when nothing was read (empty file). */
    readonly line: number | null = null,
    /** 1-based column (in characters) where reading stopped. */
    readonly column: number | null = null,
  ) {
    super(message);
  }
}

export function isNessusFormatError(error: unknown): error is NessusFormatError {
  return error instanceof NessusFormatError;
}
