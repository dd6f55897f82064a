/** Errors shaped like Stripe's `{ error: { type, code, message, param } }`, so stripe-node raises the same classes it would in production. */
export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'card_error' | 'idempotency_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  code?: string;
  message: string;
  param?: string;
  doc_url?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }

  toJSON(requestId: string): { error: StripeErrorBody & { request_log_url: string } } {
    const docUrl = this.body.code ? { doc_url: `https://stripe.com/docs/error-codes/${this.body.code.replace(/_/g, '-')}` } : {};
    return { error: { ...this.body, ...docUrl, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } };
  }
}

export function resourceMissing(kind: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param });
}

/** A missing id inside a create call is a 400 on Stripe (the 404 is only for the URL's own resource). */
export function referencedMissing(kind: string, id: string, param: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param });
}

export function parameterMissing(param: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code: 'parameter_missing', message: `Missing required param: ${param}.`, param });
}

export function parameterInvalid(param: string, message: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code: 'parameter_invalid', message, param });
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

export function authenticationError(presented: string | undefined): StripeApiError {
  if (!presented) {
    return new StripeApiError(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  // Stripe masks all but the last four characters, and so must we: the emulator logs these.
  const masked = presented.length > 12 ? `${presented.slice(0, 8)}${'*'.repeat(presented.length - 12)}${presented.slice(-4)}` : '*'.repeat(presented.length);
  return new StripeApiError(401, { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${masked}` });
}

export function idempotencyMismatch(key: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}
