import { createHmac } from 'node:crypto';
import { readSessionToken, sessionCookieName } from './request-token';
import { signToken } from './signed-token';

/*
 * The guard's reading of the token, header by header, with the rules it keeps: Better Auth's
 * signed cookie and the bearer plugin's signed value are `<token>.<base64 HMAC-SHA-256>`
 * (better-call's signed cookies), the cookie URL-encoded.
 */
describe(readSessionToken.name, () => {
  const secret = 'a-test-secret-of-at-least-thirty-two-characters';
  const token = 'VIZ42kubA8MYggb5iICQ7xlzpvQsdkI2';
  const signed = signToken(token, secret);
  const name = sessionCookieName(false);
  const cookie = `${name}=${encodeURIComponent(signed)}`;
  const base64url = `${token}.${createHmac('sha256', secret).update(token).digest('base64url')}`;
  const tampered = `${signed.slice(0, -3)}${signed.at(-3) === 'A' ? 'B' : 'A'}${signed.slice(-2)}`;
  const read = (headers: Record<string, string>) => readSessionToken(headers, secret, name);

  it.each([
    ['the raw bearer token', { authorization: `Bearer ${token}` }],
    ['the signed bearer value', { authorization: `Bearer ${signed}` }],
    [
      'the signed bearer value, URL-encoded',
      { authorization: `bearer ${encodeURIComponent(signed)}` },
    ],
    ['the signed bearer value in base64url', { authorization: `Bearer ${base64url}` }],
    ['the cookie alone', { cookie }],
    ['the cookie among others', { cookie: `a=1; ${cookie}; b=2` }],
    ['the cookie after a tab', { cookie: `a=1;\t${cookie}` }],
    ['the cookie after a longer name ending like it', { cookie: `x${name}=junk; ${cookie}` }],
    ['the first of two cookies', { cookie: `${cookie}; ${name}=${encodeURIComponent(tampered)}` }],
    ['a bearer header before the cookie', { authorization: `Bearer ${token}`, cookie: 'x=1' }],
  ])('takes %s', (_, headers) => {
    expect(read(headers)).toBe(token);
  });

  it.each([
    ['a tampered signature', { authorization: `Bearer ${tampered}` }],
    ['a tampered cookie', { cookie: `${name}=${encodeURIComponent(tampered)}` }],
    ['another secret', { cookie: `${name}=${encodeURIComponent(signToken(token, `${secret}!`))}` }],
    ['a signature cut short', { cookie: `${name}=${encodeURIComponent(signed.slice(0, -1))}` }],
    ['no token before the dot', { cookie: `${name}=${encodeURIComponent(signed.slice(32))}` }],
    ['an unsigned cookie', { cookie: `${name}=${token}` }],
    ['bad URL encoding', { cookie: `${name}=${token}.%E0%A4%A` }],
    [
      'a cookie signature of multi-byte characters, as long as a real one',
      { cookie: `${name}=${token}.${encodeURIComponent('\u00e9'.repeat(43) + '=')}` },
    ],
    ['a bearer value outside b64token', { authorization: `Bearer ${token} extra` }],
  ])('refuses %s (null)', (_, headers) => {
    expect(read(headers)).toBeNull();
  });

  it.each([
    ['no header', {}],
    ['other cookies only', { cookie: 'a=1; b=2' }],
    ['a cookie whose name only ends like it', { cookie: `x${cookie}` }],
    ['a cookie whose name only starts like it', { cookie: `${name}_x=${token}` }],
    ['the secure cookie when the plain one is read', { cookie: `__Secure-${cookie}` }],
    ['another Authorization scheme', { authorization: `Basic ${token}` }],
  ])('finds none in %s (undefined)', (_, headers) => {
    expect(read(headers)).toBeUndefined();
  });
});
