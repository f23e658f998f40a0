import { ApiProperty } from '@nestjs/swagger';

/**
 * The columns every entity starts with (`TimestampedEntity`), as the OpenAPI spec shows them.
 * The response classes live apart from the entities so that the migration tooling, which loads
 * the entities, does not load `@nestjs/swagger` (about a second).
 */
export abstract class TimestampedResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}
