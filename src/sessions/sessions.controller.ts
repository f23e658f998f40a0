import { Controller, Delete, Get, Header, HttpCode } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { okResponse, SESSION_RESPONSE } from '../http/response-schemas';
import type { User } from '../users/user.entity';
import { CurrentSession, CurrentUser } from './current-session.decorator';
import type { Session } from './session.entity';
import { SessionResponse, toSessionResponse } from './session.response';
import { SessionsService } from './sessions.service';

/**
 * The caller's own sessions (sessions are opened by signing in, `POST /api/auth/sign-in/email`).
 */
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /**
   * `GET /sessions/current`: the caller's session and user, never the token; 401 without one.
   * `Cache-Control: no-store`: no cache keeps an answer that belongs to a session. Written by a
   * serializer compiled from its schema: it is called on every authenticated page load.
   */
  @Get('sessions/current')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: SessionResponse })
  @RouteSchema(okResponse(SESSION_RESPONSE))
  current(@CurrentSession() session: Session): SessionResponse {
    return toSessionResponse(session);
  }

  /** `DELETE /sessions/current`: 204; the session's token stops working. */
  @Delete('sessions/current')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "The session's token stops working" })
  async revokeCurrent(@CurrentSession() session: Session): Promise<void> {
    await this.sessions.revoke(session.id);
  }

  /** Signs the caller out everywhere: deletes every session of the current user. */
  @Delete('sessions')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Every session of the user is deleted' })
  async revokeAll(@CurrentUser() user: User): Promise<void> {
    await this.sessions.revokeAll(user.id);
  }
}
