import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** E.164 (ITU-T): `+`, a country code not starting with 0, at most 15 digits in all. */
export const E164_PHONE_NUMBER = /^\+[1-9][0-9]{1,14}$/;

const E164_MESSAGE =
  'phoneNumber must be in E.164 form: +, the country code, then the number, at most 15 digits (+33612345678)';

/** Body of `POST /users/me/phone`. */
export class RequestPhoneCodeDto {
  /** The number to verify, in E.164 form without spaces, e.g. `+33612345678`. */
  @ApiProperty({
    pattern: E164_PHONE_NUMBER.source,
    description: 'E.164 form without spaces',
    example: '+33612345678',
  })
  @Matches(E164_PHONE_NUMBER, { message: E164_MESSAGE })
  @IsString({ message: E164_MESSAGE })
  phoneNumber!: string;
}
