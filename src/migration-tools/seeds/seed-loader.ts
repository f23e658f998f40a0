import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../../database/data-source-options';
import { Seed } from './seed';

/** Folder of the seed classes: `migrations/seeds/` at the top, or `dist/migrations/seeds/` once built. */
export const SEEDS_DIR = join(MIGRATIONS_DIR, 'seeds');

/** A seed class as loaded from its file, with the name and timestamp its class name gives. */
export interface LoadedSeed {
  /** The class name, such as `Locations1795400000000`; the key in `public.seed_history`. */
  name: string;
  /** The 13 digits that end the class name (unix milliseconds): the order in which seeds run. */
  timestamp: number;
  seed: Seed;
}

const FILE = /^\d{13}-[A-Za-z0-9]+\.(ts|js)$/;
const CLASS_NAME = /^[A-Za-z][A-Za-z0-9]*?(\d{13})$/;

/**
 * Loads every seed class of {@link SEEDS_DIR} (files `<unix ms>-<PascalName>.ts`, or `.js` once compiled),
 * oldest first.
 *
 * @throws Error naming the file when it exports no subclass of {@link Seed}, or a class whose
 *   name does not end with a 13-digit timestamp, or when two seeds have the same name.
 */
export function loadSeeds(): LoadedSeed[] {
  const dir = SEEDS_DIR;
  const seeds: LoadedSeed[] = [];
  for (const file of readdirSync(dir).filter((name) => FILE.test(name))) {
    // require, not import(): ts-node (npm run seed:*) and Jest hook require, not the ESM loader.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(join(dir, file)) as Record<string, unknown>;
    const classes = Object.values(exported).filter(
      (value): value is new () => Seed =>
        typeof value === 'function' && value.prototype instanceof Seed,
    );
    if (classes.length !== 1) {
      throw new Error(`${join(dir, file)} must export exactly one class that extends Seed`);
    }
    const seedClass = classes[0]!;
    const match = CLASS_NAME.exec(seedClass.name);
    if (!match) {
      throw new Error(`${join(dir, file)}: the class name must end with a 13-digit timestamp`);
    }
    if (seeds.some((seed) => seed.name === seedClass.name)) {
      throw new Error(`Two seeds are named ${seedClass.name}`);
    }
    seeds.push({ name: seedClass.name, timestamp: Number(match[1]), seed: new seedClass() });
  }
  return seeds.sort((a, b) => a.timestamp - b.timestamp || a.name.localeCompare(b.name));
}
