// Error answers shaped like Entra's: an OAuth error plus AADSTS code, trace and correlation ids.

export interface EntraErrorSpec {
  status: number;
  error: string;
  /** The AADSTS number, e.g. 7000215 for a wrong client secret. */
  code: number;
  message: string;
  /** Entra's `suberror`, e.g. `consent_required` (msal-common's AuthorizeResponse and ServerError read it). */
  suberror?: string;
}

/** The members of an Entra error answer; the authorization endpoint sends the same ones on its redirects. */
export function entraErrorBody(spec: EntraErrorSpec, nowMs: number) {
  const traceId = crypto.randomUUID();
  const correlationId = crypto.randomUUID();
  const timestamp = new Date(nowMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    error: spec.error,
    error_description: `AADSTS${spec.code}: ${spec.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${spec.code}`,
    ...(spec.suberror ? { suberror: spec.suberror } : {}),
  };
}

export function entraErrorResponse(spec: EntraErrorSpec, nowMs: number, headers?: HeadersInit): Response {
  return jsonResponse(entraErrorBody(spec, nowMs), spec.status, headers);
}

export function jsonResponse(body: unknown, status = 200, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set('content-type', 'application/json; charset=utf-8');
  merged.set('cache-control', status === 200 ? 'max-age=86400, private' : 'no-store, no-cache');
  return new Response(JSON.stringify(body), { status, headers: merged });
}

export const tenantNotFound = (tenant: string): EntraErrorSpec => ({
  status: 400,
  error: 'invalid_tenant',
  code: 90002,
  message: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
});
