import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { Session } from './session.entity';

/** The repository of {@link Session}, with the token lookup every authenticated request makes. */
@Injectable()
export class SessionsRepository extends Repository<Session> {
  constructor(dataSource: DataSource) {
    super(Session, dataSource.createEntityManager());
  }

  /**
   * The unexpired session with this token, with its user, in one query (an inner join on
   * `sessions_token_key`). Expiry is compared with the database clock, `now()`.
   *
   * @returns the session with `user` loaded, or null when the token is unknown or expired.
   */
  findValidByToken(token: string): Promise<Session | null> {
    return this.createQueryBuilder('session')
      .innerJoinAndSelect('session.user', 'user')
      .where('session.token = :token', { token })
      .andWhere('session.expiresAt > now()')
      .getOne();
  }
}
