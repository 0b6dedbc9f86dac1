// An application's credentials: API tokens (shown once in the answer that issues them, stored
// hashed) and client certificate subjects for mTLS.
import { generateApiToken } from '@flotilla/auth';
import type { WriteContext } from '../../context';
import type { AddCertificateRequest, IssueTokenRequest } from './tenancy-inputs';

export function issueToken({ changes }: WriteContext, input: IssueTokenRequest) {
  return changes.run(async (tx, audit) => {
    const generated = generateApiToken();
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

export function addCertificate({ changes }: WriteContext, input: AddCertificateRequest) {
  return changes.write(
    (tx) => tx.credentials.addMtls({ application: input.application, subject: input.subject, role: input.role ?? null }),
    (credential) => ({ target: `application/${input.application}`, details: { credential: credential.id, subject: input.subject } }),
  );
}

export function revokeCredential({ changes }: WriteContext, id: string) {
  return changes.write((tx) => tx.credentials.revoke(id), (revoked) => ({ target: `credential/${id}`, details: { application: revoked.application } }));
}
