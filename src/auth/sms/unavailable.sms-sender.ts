import { ServiceUnavailableException } from '@nestjs/common';
import { SmsSender } from './sms-sender';

/**
 * Production's default until a real provider is bound: codes are never logged there, so asking
 * for one answers 503 instead. Bind a class extending {@link SmsSender} in `SmsModule` to enable
 * phone verification.
 */
export class UnavailableSmsSender extends SmsSender {
  /** @throws ServiceUnavailableException (503) always. */
  send(): Promise<void> {
    return Promise.reject(
      new ServiceUnavailableException('Phone verification is not available: no SMS provider'),
    );
  }
}
