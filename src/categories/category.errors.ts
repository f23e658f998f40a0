/** Thrown when a move would make a category its own ancestor (trigger `categories_refuse_cycle`). */
export class CategoryCycleError extends Error {
  override readonly name = 'CategoryCycleError';
}

/** Thrown when a category to delete still has subcategories or items (`ON DELETE RESTRICT`). */
export class CategoryInUseError extends Error {
  override readonly name = 'CategoryInUseError';
}
