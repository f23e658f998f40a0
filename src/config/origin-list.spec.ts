import { originList } from './origin-list';

describe(originList.name, () => {
  it('reads each origin as browsers send it, in order', () => {
    expect(
      originList(' HTTPS://App.Example.com:443 , http://localhost:5173,http://[::1]:3000'),
    ).toEqual(['https://app.example.com', 'http://localhost:5173', 'http://[::1]:3000']);
  });

  it('is empty when the value is unset or blank', () => {
    expect(originList(undefined)).toEqual([]);
    expect(originList(' , ')).toEqual([]);
  });
});
