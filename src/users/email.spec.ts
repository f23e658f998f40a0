import { normalizeEmail } from './email';

describe(normalizeEmail.name, () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it('turns an internationalised domain into its ASCII (punycode) form, in any case', () => {
    expect(normalizeEmail('User@B\u00fccher.example')).toBe('user@xn--bcher-kva.example');
    expect(normalizeEmail('user@B\u00dcCHER.example')).toBe('user@xn--bcher-kva.example');
    expect(normalizeEmail('user@xn--bcher-kva.example')).toBe('user@xn--bcher-kva.example');
  });

  it('is stable: the stored form normalises to itself, and Better Auth lower-casing keeps it', () => {
    const stored = normalizeEmail('J\u00fcrgen@M\u00fcnchen.example');
    expect(normalizeEmail(stored)).toBe(stored);
    expect(stored.toLowerCase()).toBe(stored);
  });

  it('leaves a domain that UTS #46 refuses as given, lower-cased, for the validator', () => {
    expect(normalizeEmail('a@Bad Domain')).toBe('a@bad domain');
    expect(normalizeEmail('no-at-sign')).toBe('no-at-sign');
  });
});
