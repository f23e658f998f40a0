import { ApiProperty } from '@nestjs/swagger';
import type { Location } from './location.entity';

/** A location as the API shows it: its code, name, and the code of its country (null for one). */
export class LocationResponse {
  @ApiProperty({ example: 'FR-IDF' })
  code!: string;

  @ApiProperty({ example: 'Ile-de-France' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'FR' })
  country!: string | null;
}

/** @param country the code of the location's country, when it is a subdivision. */
export function toLocationResponse(location: Location, country: string | null): LocationResponse {
  return { code: location.code, name: location.name, country };
}
