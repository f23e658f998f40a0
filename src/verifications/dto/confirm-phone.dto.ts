import { IsString, IsUUID, Matches } from 'class-validator';

/** Body of `POST /users/me/phone/confirm`. */
export class ConfirmPhoneDto {
  /** The `id` that `POST /users/me/phone` answered. */
  @IsUUID('all', { message: 'id must be a UUID' })
  @IsString({ message: 'id must be a UUID' })
  id!: string;

  /** The 6 digits sent by SMS. */
  @Matches(/^[0-9]{6}$/, { message: 'code must be 6 digits' })
  @IsString({ message: 'code must be 6 digits' })
  code!: string;
}
