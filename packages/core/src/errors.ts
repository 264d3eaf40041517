/**
 * An error the user caused and can fix. `input` names the input, file or field that is
 * wrong; the message says what would be right. Actions print it as one line and fail.
 */
export class XplatError extends Error {
  readonly input: string | undefined;

  constructor(message: string, input?: string) {
    super(input ? `${input}: ${message}` : message);
    this.name = 'XplatError';
    this.input = input;
  }
}

/** One line of text for any thrown value, for logs and `core.setFailed`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
