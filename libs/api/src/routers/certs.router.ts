// The local certificate authority: its certificate, client certificates registered as an
// application's mTLS credential, and server certificates. Callers send a public key; the private
// key never leaves them. The work is in services/tenancy/certificates.ts.
import { caCertificate, issueClientCertificate, issueServerCertificate } from '../services/tenancy/certificates';
import { issueClientCertificateInput, issueServerCertificateInput } from '../services/tenancy/tenancy-inputs';
import { adminProcedure, authenticatedProcedure, router, validated } from '../trpc';

export const certsRouter = router({
  /** The CA certificate (PEM) that proxies and clients verify peers against. */
  ca: authenticatedProcedure.query(({ ctx }) => caCertificate(ctx)),
  /** Signs a client certificate for an application and registers its subject as an mTLS credential. */
  issue: adminProcedure.input(validated(issueClientCertificateInput, 'client certificate request')).mutation(({ ctx, input }) => issueClientCertificate(ctx, input)),
  /** Signs a server certificate for the hosts given (a proxy's TLS endpoint). */
  issueServer: adminProcedure.input(validated(issueServerCertificateInput, 'server certificate request')).mutation(({ ctx, input }) => issueServerCertificate(ctx, input)),
});
