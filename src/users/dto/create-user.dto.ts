import { UserEmail, UserImage, UserName } from './user-fields';

/** Body of `POST /users`. The email is stored trimmed and lower-cased. */
export class CreateUserDto {
  @UserEmail()
  email!: string;

  @UserName()
  name!: string;

  @UserImage()
  image?: string | null;
}
