import { z } from 'zod';
import { TenableUser } from '../mssp-api/mssp-api.schemas.js';

/*
 * An instance's users, session and server information as Tenable defines them
 * (../shared/spec/tenable-api.md section 5): Tenable's field names, not Bulwark's.
 */

/**
 * An instance user. Unlike the portal's users, `id` is an integer as in Tenable (pyTenable refuses
 * anything else for user ids); `uuid` is Bulwark's id, and both name the user in paths.
 */
export const InstanceUser = TenableUser.extend({ id: z.number().int().nonnegative() });
export type InstanceUser = z.infer<typeof InstanceUser>;

export const InstanceUserList = z.object({ users: z.array(InstanceUser) });

export const ChangePasswordBody = z.object({
  password: z.string().min(1).max(1024),
  /** Required when changing your own password; pyTenable always sends it. */
  current_password: z.string().max(1024).optional(),
  /** Tenable's "must change at next sign-in" flag; Bulwark has no such state and ignores it. */
  temporary: z.boolean().optional(),
});

export const UpdateSessionBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  email: z
    .union([z.literal(''), z.email().max(254)])
    .nullable()
    .optional(),
});

export const SessionResponse = InstanceUser.extend({
  container_id: z.number().int().nonnegative(),
  container_uuid: z.uuid(),
  container_name: z.string(),
  features: z.record(z.string(), z.boolean()),
  apps: z.record(z.string(), z.string()),
  groups: z.array(z.string()),
  group_uuids: z.array(z.uuid()),
});

export const ServerStatus = z.object({ code: z.literal(200), status: z.literal('ready') });

export const ServerProperties = z.object({
  server_version: z.string(),
  server_build: z.string(),
  nessus_type: z.string(),
  nessus_ui_version: z.string(),
  server_uuid: z.uuid(),
  loaded_plugin_set: z.string().nullable(),
  plugin_set: z.string().nullable(),
  expiration: z.number().int().nullable(),
  expiration_time: z.number().int().nullable(),
  idle_timeout: z.number().int(),
  license: z.object({ apps: z.record(z.string(), z.object({ type: z.string(), expiration_date: z.number().int().nullable() })) }),
  capabilities: z.record(z.string(), z.boolean()),
  enterprise: z.boolean(),
  msp: z.boolean(),
  limitEnabled: z.boolean(),
  region: z.string().nullable(),
  update: z.object({ href: z.string().nullable(), new_version: z.number().int(), restart: z.number().int() }),
  notifications: z.array(z.unknown()),
});
