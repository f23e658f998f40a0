import type { Mailer } from './mailer';

/** The mails Better Auth asks for, written once, each with its link. */
export function authEmails(mailer: Mailer) {
  return {
    /** The link that verifies `to` (Better Auth's `/verify-email?token=...`). */
    verifyEmail: (to: string, url: string) =>
      mailer.send({
        to,
        subject: 'Verify your email address',
        text: `Open this link to verify your email address:\n\n${url}\n\nIf you did not sign up, ignore this mail.`,
      }),
    /** The link that resets the password (Better Auth's `/reset-password/<token>`). */
    resetPassword: (to: string, url: string) =>
      mailer.send({
        to,
        subject: 'Reset your password',
        text: `Open this link to choose a new password:\n\n${url}\n\nIf you did not ask for it, ignore this mail; your password stays as it is.`,
      }),
  };
}
