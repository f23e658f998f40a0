import { trustProxySetting } from './trust-proxy';

describe(trustProxySetting.name, () => {
  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8,fd00::/8', ['loopback', '10.0.0.0/8', 'fd00::/8']],
  ])('reads %s as %p', (value, setting) => {
    expect(trustProxySetting(value)).toEqual(setting);
  });
});
