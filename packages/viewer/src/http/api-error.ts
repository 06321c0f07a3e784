/** An API error: its status, a short code and a message naming the parameter and value at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'bad_request' | 'not_found' | 'unauthorized' | 'too_large' | 'internal',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'bad_request', message);
}
