import { signUp } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('auth', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await createTestApp();
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('signs up and reads the session with each token form', async () => {
    const ada = await signUp(sut, { email: 'ada@example.com' });
    const bearer = await sut.http().get('/sessions/current').set(ada.auth);
    const signed = await sut.http().get('/sessions/current').set('Authorization', `Bearer ${ada.signedToken}`);
    const cookie = await sut.http().get('/sessions/current').set('Cookie', ada.cookie);
    console.log(ada, bearer.status, signed.status, cookie.status, bearer.body);
    expect([bearer.status, signed.status, cookie.status]).toEqual([200, 200, 200]);
  });
});
