import { fromTrustedOrigin } from './request-origin';

describe(fromTrustedOrigin.name, () => {
  const trusted = new Set(['http://localhost:3000', 'https://app.example.com']);

  it.each([
    [{ origin: 'https://app.example.com' }, true],
    [{ origin: 'http://localhost:3000' }, true],
    [{ origin: 'https://evil.example.com' }, false],
    [{ origin: 'https://app.example.com:8443' }, false],
    [{ origin: 'http://app.example.com' }, false],
    [{ origin: 'null' }, false],
    [{ origin: 'null', 'sec-fetch-site': 'same-origin' }, true],
    [{ origin: 'null', 'sec-fetch-site': 'cross-site' }, false],
    [{ referer: 'https://app.example.com/settings?tab=1' }, true],
    [{ referer: 'https://evil.example.com/https://app.example.com' }, false],
    [{ referer: 'not a url' }, false],
    [{ origin: 'https://evil.example.com', referer: 'https://app.example.com/' }, false],
    [{}, false],
  ])('%j: %s', (headers, expected) => {
    expect(fromTrustedOrigin(headers, trusted)).toBe(expected);
  });
});
