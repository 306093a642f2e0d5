import { apiErrorSchema } from '@flowscope/shared';
import type { z } from 'zod';

/** Why an API call failed, as something the UI can explain. */
export type ApiFailure = 'network' | 'unauthorized' | 'not-found' | 'server' | 'invalid-response';

export class ApiRequestError extends Error {
  constructor(
    readonly failure: ApiFailure,
    message: string,
    readonly hint?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

const failureFor = (status: number): ApiFailure =>
  status === 401 || status === 403 ? 'unauthorized' : status === 404 ? 'not-found' : 'server';

/**
 * GET a same-origin API path (the access cookie rides along) and parse the body with `schema`.
 * Every failure becomes an ApiRequestError with a readable message.
 */
export async function apiGet<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal: signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiRequestError(
      'network',
      'Cannot reach the Flowscope server.',
      'Check that the server is still running.',
    );
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiRequestError(
      response.ok ? 'invalid-response' : failureFor(response.status),
      `The server answered ${response.status} ${response.statusText} without JSON.`,
      undefined,
      response.status,
    );
  }

  if (!response.ok) {
    const apiError = apiErrorSchema.safeParse(body);
    const failure = failureFor(response.status);
    const hint =
      failure === 'unauthorized'
        ? 'Open the URL the server printed at startup (it ends with ?token=…).'
        : apiError.data?.hint;
    throw new ApiRequestError(
      failure,
      apiError.data?.message ?? `Request failed with status ${response.status}.`,
      hint,
      response.status,
    );
  }

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new ApiRequestError(
      'invalid-response',
      `Unexpected response from ${path}${where}: ${issue?.message ?? 'invalid data'}.`,
    );
  }
  return parsed.data;
}

/** A readable one-liner for any error a query may produce. */
export function describeError(error: unknown): { message: string; hint?: string } {
  if (error instanceof ApiRequestError)
    return error.hint ? { message: error.message, hint: error.hint } : { message: error.message };
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}

/**
 * POST, PUT, PATCH or DELETE a same-origin API path with an optional JSON body; the answer (if any) is parsed with
 * `schema`. Failures become ApiRequestErrors like apiGet's.
 */
export async function apiSend<S extends z.ZodType>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  schema: S | null,
): Promise<z.infer<S> | null> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiRequestError(
      'network',
      'Cannot reach the Flowscope server.',
      'Check that the server is still running.',
    );
  }
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(await response.json().catch(() => null));
    throw new ApiRequestError(
      failureFor(response.status),
      parsed.data?.message ?? `Request failed with status ${response.status}.`,
      parsed.data?.hint,
      response.status,
    );
  }
  if (!schema || response.status === 204) return null;
  const parsed = schema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new ApiRequestError('invalid-response', `Unexpected response from ${path}.`);
  return parsed.data;
}
