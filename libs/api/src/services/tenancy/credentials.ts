// An application's credentials: API tokens (shown once in the answer that issues them, stored
// hashed) and client certificate subjects for mTLS. Each change publishes the next access set, so
// a revoked credential stops working at the proxies as soon as they receive it.
import { generateApiToken } from '@flotilla/auth';
import type { WriteContext } from '../../context';
import { changeTenancy, writeTenancy } from './publish-access-set';
import type { AddCertificateRequest, IssueTokenRequest } from './tenancy-inputs';

export function issueToken(context: WriteContext, input: IssueTokenRequest) {
  const generated = generateApiToken();
  return changeTenancy(context, `issue token ${generated.tokenId} for application ${input.application}`, async (tx, audit) => {
    const credential = await tx.credentials.issueToken({
      application: input.application,
      role: input.role ?? null,
      ...(input.description === undefined ? {} : { description: input.description }),
      tokenId: generated.tokenId,
      tokenHash: generated.hash,
    });
    await audit({ target: `application/${input.application}`, details: { credential: credential.id, role: input.role ?? null } });
    return { ...credential, token: generated.token };
  });
}

export function addCertificate(context: WriteContext, input: AddCertificateRequest) {
  return writeTenancy(
    context,
    `add certificate subject for application ${input.application}`,
    (tx) => tx.credentials.addMtls({ application: input.application, subject: input.subject, role: input.role ?? null }),
    (credential) => ({ target: `application/${input.application}`, details: { credential: credential.id, subject: input.subject } }),
  );
}

export function revokeCredential(context: WriteContext, id: string) {
  return writeTenancy(context, `revoke credential ${id}`, (tx) => tx.credentials.revoke(id), (revoked) => ({ target: `credential/${id}`, details: { application: revoked.application } }));
}
