import { hashSessionToken, SESSION_TOKEN_HASH_PATTERN } from './session-token-hash';

describe(hashSessionToken.name, () => {
  it('is the hex SHA-256 of the token, as PostgreSQL computes it', () => {
    expect(hashSessionToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives 64 lower-case hex digits, the stored form', () => {
    expect(hashSessionToken('VIZ42kubA8MYggb5iICQ7xlzpvQsdkI2')).toMatch(
      SESSION_TOKEN_HASH_PATTERN,
    );
  });
});
