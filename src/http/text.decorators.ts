import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/** NUL (U+0000), which PostgreSQL's `text` and `jsonb` cannot hold (SQLSTATE 22021, 22P05). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const NUL = /\u0000/;
/**
 * An unpaired UTF-16 surrogate (`"\ud800"` in JSON): not a character at all; PostgreSQL would
 * store U+FFFD in its place, so what is echoed and what is stored would differ.
 */
const LONE_SURROGATE = /\p{Cs}/u;
/** Anything but white space and the zero-width characters (ZWSP, ZWNJ, ZWJ, WJ, BOM). */
const VISIBLE = /[^\s\u200B-\u200D\u2060\uFEFF]/u;

/**
 * Whether a string can be stored and read back as sent: it holds no NUL and no unpaired
 * surrogate. Non-strings pass (the type check is another decorator's).
 */
export function isSafeText(value: unknown): boolean {
  return typeof value !== 'string' || !(NUL.test(value) || LONE_SURROGATE.test(value));
}

/**
 * Refuses a string with a NUL or an unpaired UTF-16 surrogate, as a 400 naming the field. Put it
 * on every free-text field, after the type check; `{ each: true }` for arrays of strings.
 */
export function SafeText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSafeText',
      validator: {
        validate: isSafeText,
        // buildMessage prefixes `each value in ` for `{ each: true }`.
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must not contain NUL (U+0000) or unpaired UTF-16 surrogate characters`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * Refuses a string made only of white space and zero-width characters (U+200B, U+200C, U+200D,
 * U+2060, U+FEFF), which shows as nothing: a 400 naming the field.
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || VISIBLE.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must not be blank`, options),
      },
    },
    options,
  );
}
