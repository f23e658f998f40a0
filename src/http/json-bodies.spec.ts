import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasBody, isJsonContentType, jsonBodiesOnly } from './json-bodies';

describe(isJsonContentType.name, () => {
  it.each([
    ['application/json', true, true],
    ['Application/JSON; charset=utf-8', true, true],
    ['application/merge-patch+json', true, false],
    ['application/vnd.api+json; charset=utf-8', true, false],
    ['text/plain', false, false],
    ['application/x-www-form-urlencoded', false, false],
    ['multipart/form-data; boundary=x', false, false],
    ['application/jsonx', false, false],
    ['text/json', false, false],
    ['', false, false],
  ])('%j: %s with +json types, %s without', (type, suffixed, exact) => {
    expect([isJsonContentType(type, true), isJsonContentType(type, false)]).toEqual([
      suffixed,
      exact,
    ]);
  });

  it('is false without a Content-Type', () => {
    expect(isJsonContentType(undefined, true)).toBe(false);
  });
});

describe(hasBody.name, () => {
  it.each([
    [{}, false],
    [{ 'content-length': '0' }, false],
    [{ 'content-length': '2' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
    [{ 'content-type': 'text/plain', 'content-length': '0' }, true],
  ])('%j: %s', (headers, expected) => {
    expect(hasBody(headers)).toBe(expected);
  });
});

describe(jsonBodiesOnly.name, () => {
  const run = (method: string, path: string, headers: Record<string, string>) => {
    let passed: unknown = 'not called';
    const next = (error?: unknown) => {
      passed = error;
    };
    const request = { method, url: `${path}?q=1`, headers } as unknown as IncomingMessage;
    jsonBodiesOnly('/api/auth')(request, {} as ServerResponse, next);
    return passed;
  };

  it('passes JSON, bodiless requests and the methods without a body', () => {
    expect(run('POST', '/items', { 'content-type': 'application/json' })).toBeUndefined();
    expect(run('DELETE', '/sessions/current', {})).toBeUndefined();
    expect(run('GET', '/items', { 'content-type': 'text/plain' })).toBeUndefined();
  });

  it('refuses a body without a Content-Type, naming content-type', () => {
    const error = run('POST', '/items', { 'content-length': '2' });

    expect(error).toBeInstanceOf(UnsupportedMediaTypeException);
    expect((error as UnsupportedMediaTypeException).getResponse()).toEqual({
      message: 'Content-Type must be application/json',
      details: [{ field: 'content-type', message: 'Content-Type must be application/json' }],
    });
  });

  it('takes a +json type on our routes only, not under the auth base path', () => {
    const headers = { 'content-type': 'application/merge-patch+json' };

    expect(run('PATCH', '/users/1', headers)).toBeUndefined();
    expect(run('POST', '/api/auth/sign-in/email', headers)).toBeInstanceOf(
      UnsupportedMediaTypeException,
    );
    expect(run('POST', '/api/authority', headers)).toBeUndefined();
  });
});
