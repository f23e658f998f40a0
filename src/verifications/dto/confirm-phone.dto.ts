import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';

const SIX_DIGITS = /^[0-9]{6}$/;

/** Body of `POST /users/me/phone/confirm`. */
export class ConfirmPhoneDto {
  /** The `id` that `POST /users/me/phone` answered. */
  @ApiProperty({ format: 'uuid', description: 'The `id` that `POST /users/me/phone` answered' })
  @IsUUID('all', { message: 'id must be a UUID' })
  @IsString({ message: 'id must be a UUID' })
  id!: string;

  /** The 6 digits sent by SMS. */
  @ApiProperty({ pattern: SIX_DIGITS.source, description: 'The 6 digits sent by SMS' })
  @Matches(SIX_DIGITS, { message: 'code must be 6 digits' })
  @IsString({ message: 'code must be 6 digits' })
  code!: string;
}
