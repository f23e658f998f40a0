import type { Location } from './location.entity';

/** A location as the API shows it: its code, name, and the code of its country (null for one). */
export interface LocationResponse {
  code: string;
  name: string;
  country: string | null;
}

/** @param country the code of the location's country, when it is a subdivision. */
export function toLocationResponse(location: Location, country: string | null): LocationResponse {
  return { code: location.code, name: location.name, country };
}
