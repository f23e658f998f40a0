import { Module } from '@nestjs/common';
import { LocationsController } from './locations.controller';
import { LocationsRepository } from './locations.repository';

/** ISO 3166 locations; exports {@link LocationsRepository}. */
@Module({
  controllers: [LocationsController],
  providers: [LocationsRepository],
  exports: [LocationsRepository],
})
export class LocationsModule {}
