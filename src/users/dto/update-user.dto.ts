import { UserEmail, UserImage, UserName } from './user-fields';

/** Body of `PATCH /users/:id`: any of the fields; `image: null` removes the image. */
export class UpdateUserDto {
  @UserEmail({ optional: true })
  email?: string;

  @UserName({ optional: true })
  name?: string;

  @UserImage()
  image?: string | null;
}
