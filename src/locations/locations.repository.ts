import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Repository } from 'typeorm';
import { ReplicaReads } from '../database/replica-reads';
import { Location } from './location.entity';

/** The repository of {@link Location}: countries and their first-level subdivisions. */
@Injectable()
export class LocationsRepository extends Repository<Location> {
  /**
   * The lag-tolerant reads, served by a replica when `DATABASE_REPLICA_URLS` names one; every
   * other query goes to the primary (docs/SCALING.md).
   */
  private readonly replica = ReplicaReads.of(this.manager.dataSource);
  constructor(dataSource: DataSource) {
    super(Location, dataSource.createEntityManager());
  }

  /** Every country, by code. */
  findCountries(): Promise<Location[]> {
    return this.replica.read((manager) =>
      manager.find(Location, { where: { parentId: IsNull() }, order: { code: 'ASC' } }),
    );
  }

  /** The location with this code, with its country (`parent`) for a subdivision; null when none. */
  findByCode(code: string): Promise<Location | null> {
    return this.replica.read((manager) =>
      manager.findOne(Location, { where: { code }, relations: { parent: true } }),
    );
  }

  /** The subdivisions of a country, by code; empty when the country has none or is unknown. */
  findSubdivisions(countryCode: string): Promise<Location[]> {
    return this.replica.read((manager) =>
      manager.find(Location, { where: { parent: { code: countryCode } }, order: { code: 'ASC' } }),
    );
  }
}
