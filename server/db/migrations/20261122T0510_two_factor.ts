import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {}
