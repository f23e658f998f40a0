import type { TestApp } from './test-app';

/** A user signed up through Better Auth, with the forms of its session a client receives. */
export interface SignedIn {
  user: { id: string; email: string; name: string; emailVerified: boolean };
  /** The raw session token of the response body. */
  token: string;
  /** The bearer plugin's `set-auth-token` value, `<token>.<signature>`. */
  signedToken: string;
  /** The `Cookie` header value that carries the signed session cookie. */
  cookie: string;
  /** `Authorization: Bearer <token>`, ready for `.set()`. */
  auth: { Authorization: string };
}

let counter = 0;

/** A new unique email address for a test. */
export function newEmail(name = 'user'): string {
  counter += 1;
  return `${name}-${process.pid}-${counter}@example.com`;
}

/** The password the helpers sign up with. */
export const PASSWORD = 'correct horse battery staple';

function signedIn(body: Record<string, unknown>, headers: Record<string, unknown>): SignedIn {
  const setCookie = (headers['set-cookie'] as string[] | undefined) ?? [];
  const sessionCookie = setCookie.find((c) => /session_token=/.test(c));
  if (!sessionCookie) throw new Error(`No session cookie in ${JSON.stringify(headers)}`);
  return {
    user: body.user as SignedIn['user'],
    token: body.token as string,
    signedToken: headers['set-auth-token'] as string,
    cookie: sessionCookie.split(';')[0]!,
    auth: { Authorization: `Bearer ${body.token as string}` },
  };
}

/**
 * Signs a new user up through `POST /api/auth/sign-up/email` (which signs them in).
 *
 * @throws Error when sign-up does not answer 200.
 */
export async function signUp(
  sut: TestApp,
  fields: { email?: string; name?: string; password?: string } = {},
): Promise<SignedIn> {
  const response = await sut
    .http()
    .post('/api/auth/sign-up/email')
    .send({ email: newEmail(), name: 'Test User', password: PASSWORD, ...fields });
  if (response.status !== 200) {
    throw new Error(`sign-up answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return signedIn(response.body as Record<string, unknown>, response.headers);
}

/**
 * Signs in through `POST /api/auth/sign-in/email`: a new session of an existing user.
 *
 * @throws Error when sign-in does not answer 200.
 */
export async function signIn(
  sut: TestApp,
  email: string,
  options: { password?: string; userAgent?: string } = {},
): Promise<SignedIn> {
  const response = await sut
    .http()
    .post('/api/auth/sign-in/email')
    .set('User-Agent', options.userAgent ?? 'jest')
    .send({ email, password: options.password ?? PASSWORD });
  if (response.status !== 200) {
    throw new Error(`sign-in answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return signedIn(response.body as Record<string, unknown>, response.headers);
}

/**
 * Signs a new user up (see {@link signUp}) and makes it an admin with `role = 'admin'` in SQL,
 * as `npm run admin:grant` does. The session of the sign-up is an admin's at once: the guard and
 * Better Auth read the role on every request.
 */
export async function newAdmin(
  sut: TestApp,
  fields: { email?: string; name?: string; password?: string } = {},
): Promise<SignedIn> {
  const admin = await signUp(sut, { name: 'Admin', ...fields });
  await sut.rows(`UPDATE auth.users SET role = 'admin' WHERE id = $1`, [admin.user.id]);
  return admin;
}
