// The org's members (people who sign in to the console) and the org's own settings.
// Admins invite by email and role; the invitation is a one-time link, shown once, that
// lets the person set a password (there is no mail server: the admin passes it on).
import { z } from "zod";
import { Role } from "./api-tokens";
import { Timestamp, Uuid, listOf } from "./common";

/** Passwords people choose: long enough to resist guessing, short enough to hash cheaply. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

const Email = z.string().trim().max(254).pipe(z.email({ error: "must be an email address" }));
const PersonName = z.string().trim().min(1, { error: "must not be empty" }).max(100);

export const MemberStatus = z.enum(["active", "invited", "deactivated"]).meta({
  description: "invited: has not set a password yet; deactivated: cannot sign in (sessions ended)",
});

export const Member = z
  .object({
    id: Uuid,
    email: z.string(),
    name: z.string().nullable(),
    role: Role,
    status: MemberStatus,
    createdAt: Timestamp,
    lastLoginAt: Timestamp.nullable(),
    invitedAt: Timestamp.nullable(),
    invitedBy: z.string().nullable().meta({ description: "Who sent the invitation" }),
    inviteExpiresAt: Timestamp.nullable().meta({ description: "Until when the pending invitation link works" }),
    deactivatedAt: Timestamp.nullable(),
  })
  .meta({ id: "Member" });

export const MemberList = listOf(Member, "MemberList");

export const MemberInvite = z
  .object({ email: Email, role: Role, name: PersonName.optional() })
  .meta({ id: "MemberInvite" });

export const MemberInvited = z
  .object({
    member: Member,
    inviteUrl: z.string().meta({ description: "The one-time link to pass on; shown only in this response" }),
    inviteToken: z.string().meta({ description: "The token inside inviteUrl; shown only in this response" }),
    expiresAt: Timestamp,
  })
  .meta({ id: "MemberInvited" });

export const MemberUpdate = z
  .object({
    role: Role.optional(),
    active: z.boolean().optional().meta({ description: "false deactivates (ending the member's sessions); true reactivates" }),
    name: PersonName.nullable().optional(),
  })
  .refine((v) => v.role !== undefined || v.active !== undefined || v.name !== undefined, {
    error: "give at least one of role, active, name",
  })
  .meta({ id: "MemberUpdate" });

export const OrgSettings = z
  .object({
    slug: z.string(),
    name: z.string(),
    environment: z.enum(["production", "sandbox"]),
    separationOfDuties: z.boolean().meta({
      description:
        "Production orgs: a version needs an approval from someone other than the person (or token) that uploaded it. " +
        "Turn off only for a one-person team.",
    }),
  })
  .meta({ id: "OrgSettings" });

export const OrgSettingsUpdate = z
  .object({ separationOfDuties: z.boolean() })
  .meta({ id: "OrgSettingsUpdate" });

/** The invitation page's form (the console's own route). */
export const InviteAccept = z.object({
  token: z.string().min(16).max(200),
  password: NewPassword,
  name: PersonName.optional(),
});

/** A signed-in member's own password change (the console's own route). */
export const PasswordChange = z.object({
  currentPassword: z.string().min(1, { error: "Enter your current password" }).max(1024),
  newPassword: NewPassword,
});

export type MemberDto = z.output<typeof Member>;
export type MemberInviteInput = z.output<typeof MemberInvite>;
export type MemberInvitedDto = z.output<typeof MemberInvited>;
export type MemberUpdateInput = z.output<typeof MemberUpdate>;
export type OrgSettingsDto = z.output<typeof OrgSettings>;
