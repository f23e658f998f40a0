import { HOT_PATH_TYPES } from '../database/timestamptz-parser';
import { SESSION_LOOKUP_SQL, sessionLookupQuery } from './session-lookup.query';

describe(sessionLookupQuery.name, () => {
  it('is the named prepared statement unless told otherwise, its timestamps parsed by HOT_PATH_TYPES', () => {
    expect(sessionLookupQuery('hash', 60)).toEqual({
      name: 'auth_session_lookup',
      text: SESSION_LOOKUP_SQL,
      values: ['hash', 60],
      types: HOT_PATH_TYPES,
    });
  });

  it('is an unnamed statement, which any pooled server connection can run, when told so', () => {
    expect(sessionLookupQuery('hash', null, false)).toEqual({
      text: SESSION_LOOKUP_SQL,
      values: ['hash', null],
      types: HOT_PATH_TYPES,
    });
  });
});
