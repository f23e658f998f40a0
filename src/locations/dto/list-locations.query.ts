import { IsOptional, Matches } from 'class-validator';

/** Query of `GET /locations`: without `country`, the countries; with it, its subdivisions. */
export class ListLocationsQuery {
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as FR' })
  country?: string;
}
