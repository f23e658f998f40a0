import { randomUUID } from 'node:crypto';
import { type SignedIn, signUp } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const E164_MESSAGE =
  'phoneNumber must be in E.164 form: +, the country code, then the number, at most 15 digits (+33612345678)';

describe('/users/me/phone', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  /** Asks for a code for `phoneNumber` as `who`; the verification id and the code sent by SMS. */
  const requestCode = async (who: SignedIn, phoneNumber: string) => {
    const response = await http()
      .post('/users/me/phone')
      .set(who.auth)
      .send({ phoneNumber })
      .expect(202);
    return { id: response.body.id as string, code: sut.sms.lastCode(phoneNumber) };
  };
  const confirm = (who: SignedIn, id: string, code: string) =>
    http().post('/users/me/phone/confirm').set(who.auth).send({ id, code });
  const wrong = (code: string) => (code === '000000' ? '000001' : '000000');
  const verification = async (id: string) =>
    (
      await rows(
        `SELECT user_id, phone_number, attempts, verified_at IS NOT NULL AS verified
           FROM auth.phone_verifications WHERE id = $1`,
        [id],
      )
    )[0];
  const userPhone = async (id: string) =>
    (
      await rows(`SELECT phone_number, phone_number_verified FROM auth.users WHERE id = $1`, [id])
    )[0];
  const codeError = (statusCode: number, error: string, message: string) => ({
    statusCode,
    error,
    message,
    details: [{ field: 'code', message }],
  });

  describe('POST /users/me/phone', () => {
    it('sends a 6-digit code by SMS and answers 202 with {id, phoneNumber, expiresAt}, never the code', async () => {
      const ada = await signUp(sut);
      const before = Date.now();

      const response = await http()
        .post('/users/me/phone')
        .set(ada.auth)
        .send({ phoneNumber: '+33612345678' })
        .expect(202);

      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        phoneNumber: '+33612345678',
        expiresAt: expect.any(String),
      });
      const expiresIn = Date.parse(response.body.expiresAt) - before;
      expect(expiresIn).toBeGreaterThanOrEqual(600_000);
      expect(expiresIn).toBeLessThan(610_000);
      const code = sut.sms.lastCode('+33612345678');
      expect(sut.sms.messages.filter((m) => m.to === '+33612345678')).toEqual([
        { to: '+33612345678', text: `${code} is your verification code. It expires in 10 min.` },
      ]);
      expect(JSON.stringify(response.body)).not.toContain(code);
      expect(await verification(response.body.id)).toEqual({
        user_id: ada.user.id,
        phone_number: '+33612345678',
        attempts: 0,
        verified: false,
      });
    });

    it('stores the code only hashed: the row holds a salted scrypt hash that does not contain it', async () => {
      const ada = await signUp(sut);
      const { id, code } = await requestCode(ada, '+33612345600');

      const [row] = await rows(`SELECT * FROM auth.phone_verifications WHERE id = $1`, [id]);

      expect(row!.code_hash).toMatch(/^scrypt\$[\w-]{22}\$[\w-]{43}$/);
      expect(JSON.stringify(row)).not.toContain(code);
    });

    it.each([
      ['a number without +', '33612345678'],
      ['a country code starting with 0', '+0612345678'],
      ['16 digits', '+1234567890123456'],
      ['letters', '+33abc45678'],
      ['spaces', '+33 6 12 34 56 78'],
      ['an empty string', ''],
      ['a JSON number', 33612345678],
      ['no phoneNumber at all', undefined],
    ])('answers 400 naming phoneNumber for %s, and sends nothing', async (_case, phoneNumber) => {
      const ada = await signUp(sut);
      const sent = sut.sms.messages.length;

      const response = await http()
        .post('/users/me/phone')
        .set(ada.auth)
        .send(phoneNumber === undefined ? {} : { phoneNumber })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: E164_MESSAGE,
        details: [{ field: 'phoneNumber', message: E164_MESSAGE }],
      });
      expect(sut.sms.messages).toHaveLength(sent);
      expect(
        await rows(`SELECT count(*)::int AS n FROM auth.phone_verifications WHERE user_id = $1`, [
          ada.user.id,
        ]),
      ).toEqual([{ n: 0 }]);
    });

    it('answers 429 with Retry-After for another code within PHONE_CODE_RESEND_SECONDS, for any number', async () => {
      const ada = await signUp(sut);
      await requestCode(ada, '+33612345601');

      const response = await http()
        .post('/users/me/phone')
        .set(ada.auth)
        .send({ phoneNumber: '+33612345602' })
        .expect(429);

      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(response.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `A code was sent less than 60 seconds ago: retry in ${retryAfter} seconds`,
      });
      expect(sut.sms.messages.filter((m) => m.to === '+33612345602')).toEqual([]);
      expect(
        await rows(`SELECT phone_number FROM auth.phone_verifications WHERE user_id = $1`, [
          ada.user.id,
        ]),
      ).toEqual([{ phone_number: '+33612345601' }]);
    });

    it('lets exactly one of concurrent requests of one user through', async () => {
      const ada = await signUp(sut);

      const statuses = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          http()
            .post('/users/me/phone')
            .set(ada.auth)
            .send({ phoneNumber: `+3361234561${i}` })
            .then((response) => response.status),
        ),
      );

      expect(statuses.sort()).toEqual([202, 429, 429, 429, 429, 429]);
      expect(
        await rows(`SELECT count(*)::int AS n FROM auth.phone_verifications WHERE user_id = $1`, [
          ada.user.id,
        ]),
      ).toEqual([{ n: 1 }]);
    });

    it('sends a new code once the interval has passed, and limits each user on their own', async () => {
      const ada = await signUp(sut);
      const bob = await signUp(sut);
      const first = await requestCode(ada, '+33612345620');
      await requestCode(bob, '+33612345621');
      await rows(
        `UPDATE auth.phone_verifications SET created_at = now() - interval '61 seconds' WHERE id = $1`,
        [first.id],
      );

      const second = await requestCode(ada, '+33612345620');

      expect(second.id).not.toBe(first.id);
    });

    it('answers 401 without a session, and sends nothing', async () => {
      const sent = sut.sms.messages.length;

      const response = await http()
        .post('/users/me/phone')
        .send({ phoneNumber: '+33612345699' })
        .expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'A session is required',
      });
      expect(sut.sms.messages).toHaveLength(sent);
    });
  });

  describe('POST /users/me/phone/confirm', () => {
    it('verifies the right code: 200 with the user, phone number set and verified, in auth.users', async () => {
      const ada = await signUp(sut);
      const { id, code } = await requestCode(ada, '+33612345630');

      const response = await confirm(ada, id, code).expect(200);

      expect(response.body).toEqual({
        id: ada.user.id,
        email: ada.user.email,
        emailVerified: false,
        name: 'Test User',
        image: null,
        phoneNumber: '+33612345630',
        phoneNumberVerified: true,
        role: 'user',
        banned: false,
        banExpires: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      await http().get(`/users/${ada.user.id}`).set(ada.auth).expect(200, response.body);
      expect(await userPhone(ada.user.id)).toEqual({
        phone_number: '+33612345630',
        phone_number_verified: true,
      });
      expect(await verification(id)).toMatchObject({ attempts: 0, verified: true });
    });

    it('answers 400 naming code when the code was already used', async () => {
      const ada = await signUp(sut);
      const { id, code } = await requestCode(ada, '+33612345631');
      await confirm(ada, id, code).expect(200);

      const response = await confirm(ada, id, code).expect(400);

      expect(response.body).toEqual(codeError(400, 'Bad Request', 'code has already been used'));
    });

    it('answers 400 naming code for a wrong code, counts the attempt and changes no user', async () => {
      const ada = await signUp(sut);
      const { id, code } = await requestCode(ada, '+33612345632');

      const response = await confirm(ada, id, wrong(code)).expect(400);

      expect(response.body).toEqual(codeError(400, 'Bad Request', 'code is wrong'));
      expect(await verification(id)).toMatchObject({ attempts: 1, verified: false });
      expect(await userPhone(ada.user.id)).toEqual({
        phone_number: null,
        phone_number_verified: false,
      });
      await confirm(ada, id, code).expect(200);
    });

    it('refuses even the right code with 429 after 5 wrong ones', async () => {
      const ada = await signUp(sut);
      const { id, code } = await requestCode(ada, '+33612345633');
      for (let i = 0; i < 5; i++) await confirm(ada, id, wrong(code)).expect(400);

      const response = await confirm(ada, id, code).expect(429);

      expect(response.body).toEqual(
        codeError(429, 'Too Many Requests', 'code was wrong 5 times: request a new one'),
      );
      expect(await verification(id)).toMatchObject({ attempts: 5, verified: false });
      expect(await userPhone(ada.user.id)).toEqual({
        phone_number: null,
        phone_number_verified: false,
      });
    });

    it('answers 400 naming code, saying it expired, for an expired code', async () => {
      const ada = await signUp(sut);
      const { id, code } = await requestCode(ada, '+33612345634');
      await rows(
        `UPDATE auth.phone_verifications SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );

      const response = await confirm(ada, id, code).expect(400);

      expect(response.body).toEqual(
        codeError(400, 'Bad Request', 'code has expired: request a new one'),
      );
      expect(await verification(id)).toMatchObject({ attempts: 0, verified: false });
      expect(await userPhone(ada.user.id)).toEqual({
        phone_number: null,
        phone_number_verified: false,
      });
    });

    it("answers 404 for another user's verification, as for an unknown one, and leaves it alone", async () => {
      const ada = await signUp(sut);
      const eve = await signUp(sut);
      const { id, code } = await requestCode(ada, '+33612345635');

      const stolen = await confirm(eve, id, code).expect(404);
      const unknownId = randomUUID();
      const unknown = await confirm(eve, unknownId, code).expect(404);

      expect(stolen.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `Phone verification ${id} not found`,
      });
      expect(unknown.body.message).toBe(`Phone verification ${unknownId} not found`);
      expect(await verification(id)).toEqual({
        user_id: ada.user.id,
        phone_number: '+33612345635',
        attempts: 0,
        verified: false,
      });
      expect(await userPhone(eve.user.id)).toEqual({
        phone_number: null,
        phone_number_verified: false,
      });
      await confirm(ada, id, code).expect(200);
    });

    it('answers 409 naming phoneNumber when another user has verified the number, and changes nothing', async () => {
      const ada = await signUp(sut);
      const bob = await signUp(sut);
      const first = await requestCode(ada, '+33612345636');
      await confirm(ada, first.id, first.code).expect(200);
      const second = await requestCode(bob, '+33612345636');

      const response = await confirm(bob, second.id, second.code).expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'phoneNumber is already verified by another user',
        details: [
          { field: 'phoneNumber', message: 'phoneNumber is already verified by another user' },
        ],
      });
      expect(await verification(second.id)).toMatchObject({ attempts: 0, verified: false });
      expect(await userPhone(bob.user.id)).toEqual({
        phone_number: null,
        phone_number_verified: false,
      });
      expect(await userPhone(ada.user.id)).toEqual({
        phone_number: '+33612345636',
        phone_number_verified: true,
      });
    });

    it.each([
      [{ id: 'not-a-uuid', code: '123456' }, 'id', 'id must be a UUID'],
      [{ code: '123456' }, 'id', 'id must be a UUID'],
      [{ id: randomUUID(), code: '12345' }, 'code', 'code must be 6 digits'],
      [{ id: randomUUID(), code: 123456 }, 'code', 'code must be 6 digits'],
    ])('answers 400 naming the field for the body %j', async (body, field, message) => {
      const ada = await signUp(sut);

      const response = await http()
        .post('/users/me/phone/confirm')
        .set(ada.auth)
        .send(body)
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message,
        details: [{ field, message }],
      });
    });

    it('answers 401 without a session', async () => {
      await http()
        .post('/users/me/phone/confirm')
        .send({ id: randomUUID(), code: '123456' })
        .expect(401);
    });
  });
});
