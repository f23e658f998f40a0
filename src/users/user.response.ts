import { ApiProperty } from '@nestjs/swagger';
import { TimestampedResponse } from '../http/timestamped.response';

/**
 * A user as the API shows it: the {@link User} entity's columns but `banReason`, which is never
 * loaded. Handlers declare it as their return type, so the compiler checks that the entity has
 * every field listed here; the OpenAPI e2e spec checks that nothing is missing.
 */
export class UserResponse extends TimestampedResponse {
  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  email!: string;

  @ApiProperty()
  emailVerified!: boolean;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ type: String, format: 'uri', nullable: true })
  image!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+33612345678' })
  phoneNumber!: string | null;

  @ApiProperty()
  phoneNumberVerified!: boolean;

  @ApiProperty({ description: 'Comma-separated roles: user, admin', example: 'user' })
  role!: string;

  @ApiProperty()
  banned!: boolean;

  @ApiProperty({ type: Date, nullable: true })
  banExpires!: Date | null;
}
