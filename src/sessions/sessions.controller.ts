import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Ip,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import { UuidParam } from '../http/param-format.pipe';
import type { User } from '../users/user.entity';
import { CurrentSession, CurrentUser } from './current-session.decorator';
import type { Session } from './session.entity';
import { SessionGuard } from './session.guard';
import {
  type CreatedSessionResponse,
  type SessionResponse,
  toSessionResponse,
} from './session.response';
import { SessionsService } from './sessions.service';

/** Opening a session for a user, and the caller's own sessions. */
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /** `POST /users/:id/sessions`: 201 and `{id, token, expiresAt}`, the token shown this once. */
  @Post('users/:id/sessions')
  async create(
    @Param('id', UuidParam) userId: string,
    @Ip() ipAddress: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<CreatedSessionResponse> {
    const session = await this.sessions.create(userId, { ipAddress, userAgent });
    return { id: session.id, token: session.token, expiresAt: session.expiresAt };
  }

  /** `GET /sessions/current`: the bearer's session and user, never the token; 401 without one. */
  @Get('sessions/current')
  @UseGuards(SessionGuard)
  current(@CurrentSession() session: Session): SessionResponse {
    return toSessionResponse(session);
  }

  /** `DELETE /sessions/current`: 204; the bearer token stops working. */
  @Delete('sessions/current')
  @UseGuards(SessionGuard)
  @HttpCode(204)
  async revokeCurrent(@CurrentSession() session: Session): Promise<void> {
    await this.sessions.revoke(session.id);
  }

  /** Signs the caller out everywhere: deletes every session of the current user. */
  @Delete('sessions')
  @UseGuards(SessionGuard)
  @HttpCode(204)
  async revokeAll(@CurrentUser() user: User): Promise<void> {
    await this.sessions.revokeAll(user.id);
  }
}
