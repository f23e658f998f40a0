/**
 * Why a revert must not run, or undefined when it may: with NODE_ENV=production a revert (which
 * drops what its migrations made, data included) needs an explicit `--force`. Used by
 * `npm run db:revert` and `npm run typeorm migration:revert`.
 *
 * @param nodeEnv the value of NODE_ENV, if any.
 * @param force whether `--force` was given.
 */
export function revertRefusal(nodeEnv: string | undefined, force: boolean): string | undefined {
  return nodeEnv === 'production' && !force
    ? 'Refusing to revert migrations with NODE_ENV=production: take a backup, then add --force'
    : undefined;
}
