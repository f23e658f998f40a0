import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse } from '@nestjs/swagger';
import { ApiError } from '../openapi/api-error.decorator';
import { CurrentUser } from '../sessions/current-session.decorator';
import type { User } from '../users/user.entity';
import { UserResponse } from '../users/user.response';
import { ConfirmPhoneDto } from './dto/confirm-phone.dto';
import { RequestPhoneCodeDto } from './dto/request-phone-code.dto';
import { PhoneVerificationResponse } from './phone-verification.response';
import { PhoneVerificationsService } from './phone-verifications.service';

/**
 * `/users/me/phone`: the caller verifies a phone number of theirs with a code sent by SMS.
 * `UsersController` has no POST route, and its `users/:id` routes take only UUIDs, so these
 * paths reach this controller whatever the module order.
 */
@Controller('users/me/phone')
export class PhoneVerificationsController {
  constructor(private readonly phone: PhoneVerificationsService) {}

  /**
   * `POST /users/me/phone`: sends a code to `phoneNumber`; 202 and `{id, phoneNumber, expiresAt}`.
   * 400 for a number not in E.164 form; 429 with `Retry-After` within the resend interval.
   */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: PhoneVerificationResponse, description: 'The code is sent by SMS' })
  request(
    @CurrentUser() user: User,
    @Body() input: RequestPhoneCodeDto,
  ): Promise<PhoneVerificationResponse> {
    return this.phone.request(user.id, input.phoneNumber);
  }

  /**
   * `POST /users/me/phone/confirm`: checks `code` for the verification `id`; 200 and the user,
   * with `phoneNumber` and `phoneNumberVerified: true`. 400 (`code`) wrong, expired or used;
   * 429 after 5 wrong codes; 404 unknown or another user's id; 409 number taken.
   */
  @Post('confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponse, description: 'The user, with the number verified' })
  @ApiError(404, "Unknown id, or another user's")
  @ApiError(409, 'The number is taken')
  confirm(@CurrentUser() user: User, @Body() input: ConfirmPhoneDto): Promise<UserResponse> {
    return this.phone.confirm(user.id, input.id, input.code);
  }
}
