import { trustProxySetting } from './trust-proxy';

describe(trustProxySetting.name, () => {
  it.each([
    ['false', false],
    ['true', true],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8,fd00::/8', ['loopback', '10.0.0.0/8', 'fd00::/8']],
  ])('reads %s as %p', (value, setting) => {
    expect(trustProxySetting(value)).toEqual(setting);
  });

  it('reads a number as trusting that many hops from the app, as Express does', () => {
    const trusts = trustProxySetting('2') as (address: string, hop: number) => boolean;

    expect([0, 1, 2, 3].map((hop) => trusts('10.0.0.1', hop))).toEqual([true, true, false, false]);
  });
});
