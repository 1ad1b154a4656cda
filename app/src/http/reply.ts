// What a route handler returns: status, content type, body and extra headers; the server writes it.
export interface Reply {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A failure the client caused or should see (4xx, 503), answered as `{"error": message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, contentType: "application/json; charset=utf-8", body: `${JSON.stringify(value)}\n`, headers };
}

export function html(status: number, page: string): Reply {
  return { status, contentType: "text/html; charset=utf-8", body: page };
}
