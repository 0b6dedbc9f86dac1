// What an administrator may ask about applications, their credentials, policies and quotas.
import { API_ROLES, MAX_CERTIFICATE_DAYS, VERBS, type policyInputSchema, type quotaInputSchema } from '@flotilla/auth';
import { z } from 'zod';

export const applicationInput = z.object({ id: z.string(), owner: z.string(), contact: z.string().optional() });
export type ApplicationRequest = z.output<typeof applicationInput>;
export const applicationId = z.object({ id: z.string() });
export const issueTokenInput = z.object({ application: z.string(), role: z.enum(API_ROLES).nullish(), description: z.string().optional() });
export type IssueTokenRequest = z.output<typeof issueTokenInput>;
export const addCertificateInput = z.object({ application: z.string(), subject: z.string().min(1), role: z.enum(API_ROLES).nullish() });
export type AddCertificateRequest = z.output<typeof addCertificateInput>;
export const credentialId = z.object({ id: z.string() });
export const applicationFilter = z.object({ application: z.string().optional() }).default({});
export const policyId = z.object({ id: z.int() });
export const authorizeInput = z.object({ application: z.string(), verb: z.enum(VERBS), resource: z.string() });
export type AuthorizeRequest = z.output<typeof authorizeInput>;
export type PolicyRequest = z.output<typeof policyInputSchema>;
export type QuotaRequest = z.output<typeof quotaInputSchema>;
export const quotaOf = z.object({ application: z.string() });
const publicKey = z.string().min(1, { error: 'expected the subject\'s public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----")' });
const days = z.int().min(1).max(MAX_CERTIFICATE_DAYS).default(365);
export const issueClientCertificateInput = z.object({ application: z.string(), publicKey, role: z.enum(API_ROLES).nullish(), description: z.string().optional(), days });
export type IssueClientCertificateRequest = z.output<typeof issueClientCertificateInput>;
export const issueServerCertificateInput = z.object({
  name: z.string().min(1).max(64),
  hosts: z.array(z.string().min(1).max(253)).min(1, { error: 'expected at least one host (DNS name or IP address)' }).max(32),
  publicKey,
  days,
});
export type IssueServerCertificateRequest = z.output<typeof issueServerCertificateInput>;
