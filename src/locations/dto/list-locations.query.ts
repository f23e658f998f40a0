import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

const COUNTRY_CODE = /^[A-Z]{2}$/;

/** Query of `GET /locations`: without `country`, the countries; with it, its subdivisions. */
export class ListLocationsQuery {
  @ApiPropertyOptional({
    pattern: COUNTRY_CODE.source,
    description: "ISO 3166-1 alpha-2 code: lists that country's subdivisions",
    example: 'FR',
  })
  @IsOptional()
  @Matches(COUNTRY_CODE, { message: 'country must be an ISO 3166-1 alpha-2 code such as FR' })
  country?: string;
}
