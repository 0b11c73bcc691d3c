import { z } from 'zod';

/** Second factors, strongest first: the order the setup page and the code step offer them in. */
export const TWO_FACTOR_METHODS = ['passkey', 'totp', 'sms', 'recovery_code'] as const;
export const TwoFactorMethod = z.enum(TWO_FACTOR_METHODS);
export type TwoFactorMethod = z.infer<typeof TwoFactorMethod>;

/** The seed's success message, shown when a factor has been set up. */
export const TWO_FACTOR_CONFIGURED_MESSAGE = 'You have configured two-factor authentication for your account.';
/** The seed's warning in the Disable Two-Factor window. */
export const DISABLE_TWO_FACTOR_WARNING =
  'If you disable this feature for your account, Bulwark deletes the mobile phone number and other settings associated with the feature (your authenticator app, passkeys and recovery codes too).';
/** Why text message comes last on the setup page. */
export const SMS_WEAKEST_REASON =
  'Text messages can be intercepted or redirected by SIM swapping; prefer a passkey or an authenticator app.';

export const OneTimeCode = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.'));

export const RecoveryCode = z.string().trim().min(10, 'Enter a recovery code, like abcde-fghjk.').max(40);

/** A WebAuthn response as @simplewebauthn/browser produces it; checked field by field by the server library. */
export const WebAuthnResponseJson = z.record(z.string(), z.unknown());

export const SecondFactorBody = z.discriminatedUnion('method', [
  z.object({ method: z.literal('sms'), code: OneTimeCode }),
  z.object({ method: z.literal('totp'), code: OneTimeCode }),
  z.object({ method: z.literal('recovery_code'), code: RecoveryCode }),
  z.object({ method: z.literal('passkey'), response: WebAuthnResponseJson }),
]);
export type SecondFactorBody = z.infer<typeof SecondFactorBody>;

/** Answered to a right password when the user has a second factor: no session yet. */
export const SignInChallengeResponse = z.object({
  secondFactorRequired: z.literal(true),
  methods: z.array(TwoFactorMethod),
  /** The phone number codes go to, masked (+1*******0123), when the user has text messages. */
  phoneHint: z.string().nullable(),
  /** True when a code was just sent by text message (and backup email). */
  isCodeSent: z.boolean(),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type SignInChallengeResponse = z.infer<typeof SignInChallengeResponse>;

export const CodeSentResponse = z.object({
  message: z.string(),
  /** When Resend Code may be used again. */
  resendAvailableAt: z.iso.datetime({ offset: true }),
});
export type CodeSentResponse = z.infer<typeof CodeSentResponse>;

export const PasskeyOptionsResponse = z.object({ attemptId: z.uuid(), options: z.record(z.string(), z.unknown()) });
export type PasskeyOptionsResponse = z.infer<typeof PasskeyOptionsResponse>;

export const PasskeyResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type PasskeyResponse = z.infer<typeof PasskeyResponse>;

export const TwoFactorStatusResponse = z.object({
  /** True when any factor is set up. */
  isEnabled: z.boolean(),
  /** REQUIRE_STAFF_TWO_FACTOR applies to this user. */
  isRequired: z.boolean(),
  sms: z.object({ phone: z.string(), sendBackupEmail: z.boolean(), backupEmail: z.string() }).nullable(),
  totp: z.object({ enabledAt: z.iso.datetime({ offset: true }) }).nullable(),
  passkeys: z.array(PasskeyResponse),
  recoveryCodesLeft: z.number().int(),
});
export type TwoFactorStatusResponse = z.infer<typeof TwoFactorStatusResponse>;

export const StartSmsSetupBody = z.object({ phone: z.string().trim().min(1, 'Type your mobile phone number.').max(40) });
export type StartSmsSetupBody = z.infer<typeof StartSmsSetupBody>;

export const SmsSetupStartedResponse = z.object({
  attemptId: z.uuid(),
  /** The number in international format, as it will be stored. */
  phone: z.string(),
  message: z.string(),
  resendAvailableAt: z.iso.datetime({ offset: true }),
});
export type SmsSetupStartedResponse = z.infer<typeof SmsSetupStartedResponse>;

export const AttemptBody = z.object({ attemptId: z.uuid() });
export type AttemptBody = z.infer<typeof AttemptBody>;

export const ConfirmCodeBody = z.object({ attemptId: z.uuid(), code: OneTimeCode });
export type ConfirmCodeBody = z.infer<typeof ConfirmCodeBody>;

export const BackupEmailBody = z.object({ sendBackupEmail: z.boolean() });
export type BackupEmailBody = z.infer<typeof BackupEmailBody>;

export const FactorConfiguredResponse = z.object({
  message: z.string(),
  /** Shown once, when the first factor is set up; null otherwise. */
  recoveryCodes: z.array(z.string()).nullable(),
});
export type FactorConfiguredResponse = z.infer<typeof FactorConfiguredResponse>;

export const TotpSetupResponse = z.object({
  attemptId: z.uuid(),
  /** Base32, for typing into the app by hand. */
  secret: z.string(),
  otpauthUrl: z.string(),
  /** The otpauth URL as a QR code, an image data URL. */
  qrCode: z.string(),
});
export type TotpSetupResponse = z.infer<typeof TotpSetupResponse>;

export const RecoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodesResponse = z.infer<typeof RecoveryCodesResponse>;

export const AddPasskeyBody = z.object({
  attemptId: z.uuid(),
  name: z.string().trim().min(1, 'Name the passkey.').max(64, 'At most 64 characters.'),
  response: WebAuthnResponseJson,
});
export type AddPasskeyBody = z.infer<typeof AddPasskeyBody>;

export const PasskeyIdParams = z.object({ id: z.uuid() });
