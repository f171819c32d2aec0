import { ERROR_TYPE_OTHER } from '@tokenmeter/conventions';

/** error.type of a failure: the error class (RateLimitError, TypeError, ...) or a system error code. */
export function errorTypeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (
      typeof className === 'string' &&
      className !== '' &&
      className !== 'Error' &&
      className !== 'Object'
    )
      return className;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return ERROR_TYPE_OTHER;
}
