import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { LOCATION_CODE, LocationCodeParam } from '../http/param-format.pipe';
import { ApiError } from '../openapi/api-error.decorator';
import { ListLocationsQuery } from './dto/list-locations.query';
import { LocationResponse, toLocationResponse } from './location.response';
import { LocationsRepository } from './locations.repository';
import { Public } from '../auth/public.decorator';

/** `/locations`: ISO 3166 countries and their first-level subdivisions (read-only). */
@Controller('locations')
@Public()
export class LocationsController {
  constructor(private readonly locations: LocationsRepository) {}

  /**
   * The countries, or with `?country=XX` that country's subdivisions, by code.
   *
   * @throws NotFoundException (404) when the country is unknown.
   */
  @Get()
  @ApiOkResponse({ type: [LocationResponse] })
  @ApiError(404, 'The country is unknown')
  async list(@Query() query: ListLocationsQuery): Promise<LocationResponse[]> {
    if (query.country === undefined) {
      return (await this.locations.findCountries()).map((country) =>
        toLocationResponse(country, null),
      );
    }
    const country = query.country;
    const subdivisions = await this.locations.findSubdivisions(country);
    if (subdivisions.length === 0 && !(await this.locations.existsBy({ code: country }))) {
      throw new NotFoundException(`Country ${country} not found`);
    }
    return subdivisions.map((subdivision) => toLocationResponse(subdivision, country));
  }

  /** @throws NotFoundException (404) when no location has this code. */
  @Get(':code')
  @ApiParam({
    name: 'code',
    schema: { type: 'string', pattern: LOCATION_CODE.source },
    example: 'FR-IDF',
  })
  @ApiOkResponse({ type: LocationResponse })
  @ApiError(404, 'No location has this code')
  async findOne(@Param('code', LocationCodeParam) code: string): Promise<LocationResponse> {
    const location = await this.locations.findByCode(code);
    if (!location) throw new NotFoundException(`Location ${code} not found`);
    return toLocationResponse(location, location.parent?.code ?? null);
  }
}
