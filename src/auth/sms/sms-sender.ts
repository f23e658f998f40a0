/**
 * Sends text messages. The app binds the development {@link LogSmsSender}, which refuses to exist
 * when `NODE_ENV=production`: a production deployment binds its own provider in `SmsModule`. The
 * tests bind one that captures each message. An abstract class rather than an interface, so that
 * it is also the injection token.
 */
export abstract class SmsSender {
  /**
   * Sends `text` to `to`.
   *
   * @param to a phone number in E.164 form (`+33612345678`).
   * @throws whatever the provider throws when the message cannot be handed over.
   */
  abstract send(to: string, text: string): Promise<void>;
}
