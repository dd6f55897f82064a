// Types shared by the Discord contract rig's modules. They live apart from discord-contract.ts so
// the helper modules can import them without an import cycle.

/** A file part of a multipart request, described (never its bytes) so tests can assert on uploads. */
export interface CapturedFile {
  key: string;
  name: string;
  contentType: string;
  size: number;
}

export interface ContractRequest {
  method: string;
  /** As the server saw it ('/api/v10/channels/1/messages', maybe percent-encoded, maybe with '?query'), or a full URL. */
  path: string;
  query?: Record<string, string>;
  /** Parsed JSON body; for multipart requests the parsed `payload_json` (or the string fields). */
  body?: unknown;
  headers?: Record<string, string>;
  files?: CapturedFile[];
}

export interface ContractVerdict {
  ok: boolean;
  operationId?: string;
  /** Readable, e.g. 'POST /channels/{channel_id}/messages: body/embeds/0/title must be string or null (got number 5)'. */
  errors: string[];
  /** Why it failed, so the capture adapter can answer the way Discord would (404, 405 or 400). */
  reason?: 'no-route' | 'method-not-allowed' | 'bad-path' | 'invalid';
}

export interface DiscordContract {
  validate(req: ContractRequest): ContractVerdict;
}

export interface RecordedRequest {
  req: ContractRequest;
  verdict: ContractVerdict;
}

export interface ContractRecorder {
  /** Validates and remembers the request; returns the verdict so adapters can answer like Discord. */
  record(req: ContractRequest): ContractVerdict;
  readonly requests: readonly RecordedRequest[];
  readonly violations: readonly RecordedRequest[];
  /** Throws one Error listing every invalid or unmatched request recorded so far. */
  assertClean(): void;
}
