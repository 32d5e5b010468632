// A call to a pulse made by the control plane on a developer's behalf (MCP invoke_pulse), and its answer: the
// shapes both sides of the RPC agree on.

export interface InvokeRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path and query, starting with "/". */
  path: string;
  body?: string;
  contentType?: string;
}

export interface InvokeAnswer {
  status: number;
  requestId: string | null;
  contentType: string | null;
  body: string;
  truncated: boolean;
}

/** An answer is read back by an agent: more than this is cut (the status and the logs still tell the story). */
export const MAX_INVOKE_ANSWER_BYTES = 64 * 1024; /* 64 KiB */
