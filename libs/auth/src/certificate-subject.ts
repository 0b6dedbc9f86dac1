// The name a verified client certificate authenticates as: its subject's common name (CN), as
// Node's TLS layer reports it (a string, or an array when the subject repeats CN: the first). The
// registry's mTLS credentials are keyed by it, in management and in the HTTP proxy alike.

export function certificateName(subject: { readonly CN?: string | readonly string[] } | undefined): string | undefined {
  const cn = Array.isArray(subject?.CN) ? subject.CN[0] : (subject?.CN as string | undefined);
  return cn === undefined || cn === '' ? undefined : cn;
}
