import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { newCategory, newItem, newSession, newUser } from '../helpers/factories';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Pairs raced per route. */
const PAIRS = 200;
/** Pairs in flight at once: a little load, so that requests overlap in the database too. */
const PAIRS_AT_ONCE = 4;

/**
 * What the database did to one row, in order: a log kept by a trigger this suite adds to its own
 * database (`race_log`), so that each outcome can be checked against the order of the writes.
 */
interface Write {
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  /** `name` (users) or `title` (items) before and after the write (null when none). */
  oldLabel: string | null;
  newLabel: string | null;
  oldDeleted: boolean;
  newDeleted: boolean;
}

/** A failed invariant, kept to be counted and shown at once rather than at the first one. */
interface Violation {
  pair: number;
  rule: string;
  statuses: [number, number];
}

/**
 * Runs `race(i)` for i in 0..PAIRS-1, PAIRS_AT_ONCE at a time, and returns what they report.
 */
async function racePairs(race: (pair: number) => Promise<Violation[]>): Promise<Violation[]> {
  const violations: Violation[] = [];
  let next = 0;
  const worker = async () => {
    while (next < PAIRS) violations.push(...(await race(next++)));
  };
  await Promise.all(Array.from({ length: PAIRS_AT_ONCE }, worker));
  return violations;
}

/** Every pair's statuses, PATCH then DELETE, whether it broke an invariant or not. */
const outcomes: [number, number][] = [];

/**
 * Asserts that the pairs really raced: in some the PATCH won (200), in others the DELETE did
 * (the PATCH failed). A suite whose requests never overlap would prove nothing. Prints the
 * PATCH statuses and the number of broken invariants.
 */
function expectBothOrders(route: string, pairs: [number, number][], violations: number): void {
  const patchStatuses = pairs.map(([patch]) => patch);
  const patched = patchStatuses.filter((status) => status === 200).length;
  const byStatus: Record<string, number> = {};
  for (const status of patchStatuses) byStatus[status] = (byStatus[status] ?? 0) + 1;
  // The figures of docs/RELIABILITY.md.
  console.log(JSON.stringify({ race: route, pairs: pairs.length, patch: byStatus, violations }));
  expect({ patched: patched > 0, refused: patched < patchStatuses.length }).toEqual({
    patched: true,
    refused: true,
  });
}

/** Counts violations by rule, for the failure message and the report. */
function summary(violations: Violation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { rule } of violations) counts[rule] = (counts[rule] ?? 0) + 1;
  return counts;
}

// Every pair starts a PATCH and a DELETE of the same row together, on a listening server (so
// they are two real connections), half of the pairs sending the DELETE first. The invariants are
// those of a serial order: the outcome must be what PATCH-then-DELETE or DELETE-then-PATCH gives.
describe('PATCH racing DELETE (chaos)', () => {
  let sut: TestApp;
  let url: string;
  let categoryId: string;

  const writesOf = async (id: string): Promise<Write[]> =>
    (await sut.rows(
      `SELECT op, old_label AS "oldLabel", new_label AS "newLabel",
              old_deleted AS "oldDeleted", new_deleted AS "newDeleted"
         FROM race_log WHERE row_id = $1 ORDER BY seq`,
      [id],
    )) as unknown as Write[];

  /** The two requests, started in the same tick, in the order of the pair's parity. */
  const together = <P, D>(pair: number, patch: () => Promise<P>, remove: () => Promise<D>) =>
    pair % 2 === 0
      ? Promise.all([patch(), remove()])
      : Promise.all([remove(), patch()]).then(([d, p]) => [p, d] as const);

  beforeAll(async () => {
    sut = await createTestApp();
    await sut.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    await sut.rows(`
      CREATE TABLE race_log (
        seq bigserial PRIMARY KEY, row_id uuid NOT NULL, op text NOT NULL,
        old_label text, new_label text, old_deleted boolean, new_deleted boolean)`);
    // INSERT is logged too: TypeORM's save() of a row that has gone inserts it again.
    await sut.rows(`
      CREATE FUNCTION race_log_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO race_log (row_id, op, new_label, new_deleted) VALUES (NEW.id, TG_OP, NEW.name, false);
        ELSE
          INSERT INTO race_log (row_id, op, old_label, new_label, old_deleted, new_deleted)
          VALUES (OLD.id, TG_OP, OLD.name, CASE WHEN TG_OP = 'UPDATE' THEN NEW.name END,
                  false, TG_OP = 'DELETE');
        END IF;
        RETURN NULL;
      END $$`);
    await sut.rows(`
      CREATE TRIGGER race_log AFTER INSERT OR UPDATE OR DELETE ON auth.users
        FOR EACH ROW EXECUTE FUNCTION race_log_user()`);
    await sut.rows(`
      CREATE FUNCTION race_log_item() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO race_log (row_id, op, old_label, new_label, old_deleted, new_deleted)
        VALUES (OLD.id, TG_OP, OLD.title, NEW.title,
                OLD.deleted_at IS NOT NULL, NEW.deleted_at IS NOT NULL);
        RETURN NULL;
      END $$`);
    await sut.rows(`
      CREATE TRIGGER race_log AFTER UPDATE ON app.items
        FOR EACH ROW EXECUTE FUNCTION race_log_item()`);
    categoryId = (await newCategory(sut.dataSource, { slug: 'race', name: 'Race' })).id;
  });

  afterAll(async () => {
    await sut?.close();
  });

  // DELETE /users/:id is the caller deleting themself; the cascade deletes the caller's session,
  // so a PATCH that comes second answers 401 (session gone) or 404 (user gone), never 200.
  // Invariants, per pair:
  //  - DELETE 204 => the user row is gone afterwards, and was never inserted again;
  //  - PATCH 200 => its name was written to the live row, and, when the DELETE also answered
  //    204, the row the DELETE removed carried that name (the PATCH came first);
  //  - PATCH is 200, 401 or 404, DELETE 204 or 401 (whichever removed the session first).
  it(`PATCH /users/:id vs DELETE /users/:id, ${PAIRS} pairs: no deleted user comes back, no 200 for a gone user`, async () => {
    const violations = await racePairs(async (pair) => {
      const user = await newUser(sut.dataSource, { name: 'Before' });
      const { token } = await newSession(sut.dataSource, user.id);
      const auth = { Authorization: `Bearer ${token}` };
      const name = `After ${pair}`;
      const [patch, remove] = await together(
        pair,
        () => request(url).patch(`/users/${user.id}`).set(auth).send({ name }),
        () => request(url).delete(`/users/${user.id}`).set(auth),
      );
      const statuses: [number, number] = [patch.status, remove.status];
      outcomes.push(statuses);
      const found: Violation[] = [];
      const fail = (rule: string) => found.push({ pair, rule, statuses });
      if (![200, 401, 404].includes(patch.status)) fail(`PATCH answered ${patch.status}`);
      if (![204, 401].includes(remove.status)) fail(`DELETE answered ${remove.status}`);
      const exists = (await sut.rows(`SELECT 1 FROM auth.users WHERE id = $1`, [user.id])).length;
      const writes = await writesOf(user.id);
      const deleted = writes.find((write) => write.op === 'DELETE');
      if (remove.status === 204 && exists) fail('DELETE 204 but the user exists afterwards');
      // The factory's INSERT is the first; save() of a gone row would insert it a second time.
      if (writes.filter((write) => write.op === 'INSERT').length > 1) {
        fail('the user was inserted again');
      }
      if (patch.status === 200) {
        const applied = writes.some((write) => write.op === 'UPDATE' && write.newLabel === name);
        if (!applied) fail('PATCH 200 but its change was never written');
        if (remove.status === 204 && deleted?.oldLabel !== name) {
          fail('PATCH 200 but the DELETE removed the row before the change');
        }
        if ((patch.body as { name?: string }).name !== name) fail('PATCH 200 without its change');
      }
      return found;
    });
    expectBothOrders('PATCH vs DELETE /users/:id', outcomes.splice(0), violations.length);
    expect(summary(violations)).toEqual({});
  });

  // DELETE /users/:userId/items/:itemId is a soft delete (sets deleted_at). Invariants, per pair:
  //  - DELETE 204 => the item is soft-deleted afterwards (deleted_at not null);
  //  - no write changes a soft-deleted item (nothing here restores it);
  //  - PATCH 200 => its title was written while the item was live, and is the final title;
  //  - PATCH is 200 or 404 (the item was already deleted), DELETE is 204.
  it(`PATCH vs DELETE /users/:userId/items/:itemId, ${PAIRS} pairs: a 204 soft delete is never undone`, async () => {
    const user = await newUser(sut.dataSource);
    const { token } = await newSession(sut.dataSource, user.id);
    const auth = { Authorization: `Bearer ${token}` };
    const violations = await racePairs(async (pair) => {
      const item = await newItem(sut.dataSource, user.id, categoryId, { title: 'Before' });
      const path = `/users/${user.id}/items/${item.id}`;
      const title = `After ${pair}`;
      const [patch, remove] = await together(
        pair,
        () => request(url).patch(path).set(auth).send({ title }),
        () => request(url).delete(path).set(auth),
      );
      const statuses: [number, number] = [patch.status, remove.status];
      outcomes.push(statuses);
      const found: Violation[] = [];
      const fail = (rule: string) => found.push({ pair, rule, statuses });
      if (![200, 404].includes(patch.status)) fail(`PATCH answered ${patch.status}`);
      if (remove.status !== 204) fail(`DELETE answered ${remove.status}`);
      const [row] = (await sut.rows(
        `SELECT title, deleted_at IS NOT NULL AS deleted FROM app.items WHERE id = $1`,
        [item.id],
      )) as { title: string; deleted: boolean }[];
      const writes = await writesOf(item.id);
      if (remove.status === 204 && !row?.deleted)
        fail('DELETE 204 but the item is live afterwards');
      if (writes.some((write) => write.oldDeleted)) fail('a write changed a soft-deleted item');
      if (patch.status === 200) {
        const applied = writes.some(
          (write) => write.newLabel === title && !write.oldDeleted && !write.newDeleted,
        );
        if (!applied) fail('PATCH 200 but its change was not written to the live item');
        if (row?.title !== title) fail('PATCH 200 but its change is not in the item');
        if ((patch.body as { title?: string }).title !== title)
          fail('PATCH 200 without its change');
      }
      return found;
    });
    expectBothOrders('PATCH vs DELETE an item', outcomes.splice(0), violations.length);
    expect(summary(violations)).toEqual({});
  });
});
