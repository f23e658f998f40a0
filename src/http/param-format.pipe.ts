import {
  type ArgumentMetadata,
  BadRequestException,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import { isUUID } from 'class-validator';

/**
 * Checks the format of a route parameter before any query runs, and answers 400 naming the
 * parameter otherwise (PostgreSQL would refuse a malformed uuid with an error, not a miss).
 */
@Injectable()
export class ParamFormatPipe implements PipeTransform<string, string> {
  /**
   * @param accepts tells whether a value has the expected format.
   * @param expected completes the error message "<param> must be ...".
   */
  constructor(
    private readonly accepts: (value: string) => boolean,
    private readonly expected: string,
  ) {}

  transform(value: string, metadata: ArgumentMetadata): string {
    if (this.accepts(value)) return value;
    const field = metadata.data ?? 'parameter';
    const message = `${field} must be ${this.expected}`;
    throw new BadRequestException({ message, details: [{ field, message }] });
  }
}

/** A UUID route parameter, e.g. `@Param('id', UuidParam)`. */
export const UuidParam = new ParamFormatPipe((value) => isUUID(value), 'a UUID');

/** Lower-case words joined by hyphens, the rule of `categories_slug_check`. */
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The longest slug. */
export const SLUG_MAX_LENGTH = 100;

/** An ISO 3166-1 alpha-2 or ISO 3166-2 code, the rule of `locations_code_check`. */
export const LOCATION_CODE = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/** A slug ({@link SLUG}, at most {@link SLUG_MAX_LENGTH} characters). */
export const SlugParam = new ParamFormatPipe(
  (value) => value.length <= SLUG_MAX_LENGTH && SLUG.test(value),
  'lower-case letters and digits joined by hyphens',
);

/** A location code ({@link LOCATION_CODE}). */
export const LocationCodeParam = new ParamFormatPipe(
  (value) => LOCATION_CODE.test(value),
  'an ISO 3166-1 alpha-2 or ISO 3166-2 code such as FR or FR-IDF',
);
