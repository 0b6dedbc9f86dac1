// The CA that management owns (`flotilla certs`): over TLS without PROXY_TLS_CA, the proxy trusts
// the client certificates it signed, asked for once at start.
const TIMEOUT_MS = 10_000;

export async function fetchManagementCa(managementUrl: string, token: string): Promise<string> {
  const url = new URL('trpc/certs.ca', managementUrl.endsWith('/') ? managementUrl : `${managementUrl}/`);
  let answer: Response;
  try {
    answer = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`could not fetch the client CA from management at ${url.origin} (${(error as Error).message}); start management first, or set PROXY_TLS_CA to a CA file`);
  }
  const body = (await answer.json().catch(() => undefined)) as { result?: { data?: { certificate?: unknown } }; error?: { message?: string } } | undefined;
  const certificate = body?.result?.data?.certificate;
  if (!answer.ok || typeof certificate !== 'string') {
    throw new Error(`management refused the client CA (HTTP ${answer.status}: ${body?.error?.message ?? 'no certificate in the answer'}); set PROXY_TLS_CA to a CA file instead`);
  }
  return certificate;
}
