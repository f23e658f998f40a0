import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { SlugParam } from '../http/param-format.pipe';
import { CategoriesRepository } from './categories.repository';
import type { CategoryNode } from './category-node';
import { Public } from '../auth/public.decorator';

/** `/categories`: the category tree (reference data, read-only over HTTP). */
@Controller('categories')
@Public()
export class CategoriesController {
  constructor(private readonly categories: CategoriesRepository) {}

  /** All categories, nested, siblings by `sortOrder` then name. */
  @Get()
  forest(): Promise<CategoryNode[]> {
    return this.categories.findForest();
  }

  /** @throws NotFoundException (404) when no category has this slug. */
  @Get(':slug')
  async subtree(@Param('slug', SlugParam) slug: string): Promise<CategoryNode> {
    const node = await this.categories.findSubtree(slug);
    if (!node) throw new NotFoundException(`Category ${slug} not found`);
    return node;
  }
}
