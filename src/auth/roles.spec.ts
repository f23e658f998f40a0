import { ADMIN_ROLES, hasAnyRole } from './roles';

describe(hasAnyRole.name, () => {
  it.each([
    ['admin', true],
    ['user,admin', true],
    ['user, admin', true],
    ['user', false],
    ['administrator', false],
    ['Admin', false],
    ['', false],
    [null, false],
    [undefined, false],
  ])('reads the role field %j as an admin: %s', (field, expected) => {
    expect(hasAnyRole(field, ADMIN_ROLES)).toBe(expected);
  });

  it('needs only one of the wanted roles', () => {
    expect(hasAnyRole('user', ['admin', 'user'])).toBe(true);
    expect(hasAnyRole('user', [])).toBe(false);
  });
});
