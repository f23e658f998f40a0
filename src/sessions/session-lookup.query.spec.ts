import { SESSION_LOOKUP_SQL, sessionLookupQuery } from './session-lookup.query';

describe(sessionLookupQuery.name, () => {
  it('is the named prepared statement unless told otherwise', () => {
    expect(sessionLookupQuery('hash', 60)).toEqual({
      name: 'auth_session_lookup',
      text: SESSION_LOOKUP_SQL,
      values: ['hash', 60],
    });
  });

  it('is an unnamed statement, which any pooled server connection can run, when told so', () => {
    expect(sessionLookupQuery('hash', null, false)).toEqual({
      text: SESSION_LOOKUP_SQL,
      values: ['hash', null],
    });
  });
});
