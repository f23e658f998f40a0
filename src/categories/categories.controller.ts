import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { SLUG, SLUG_MAX_LENGTH, SlugParam } from '../http/param-format.pipe';
import { ApiError } from '../openapi/api-error.decorator';
import { CategoriesRepository } from './categories.repository';
import { CategoryNode } from './category-node';
import { Public } from '../auth/public.decorator';

/** `/categories`: the category tree (reference data, read-only over HTTP). */
@Controller('categories')
@Public()
export class CategoriesController {
  constructor(private readonly categories: CategoriesRepository) {}

  /** All categories, nested, siblings by `sortOrder` then name. */
  @Get()
  @ApiOkResponse({ type: [CategoryNode] })
  forest(): Promise<CategoryNode[]> {
    return this.categories.findForest();
  }

  /** @throws NotFoundException (404) when no category has this slug. */
  @Get(':slug')
  @ApiParam({
    name: 'slug',
    schema: { type: 'string', pattern: SLUG.source, maxLength: SLUG_MAX_LENGTH },
    example: 'phones',
  })
  @ApiOkResponse({ type: CategoryNode })
  @ApiError(404, 'No category has this slug')
  async subtree(@Param('slug', SlugParam) slug: string): Promise<CategoryNode> {
    const node = await this.categories.findSubtree(slug);
    if (!node) throw new NotFoundException(`Category ${slug} not found`);
    return node;
  }
}
