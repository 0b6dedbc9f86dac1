// Policies: "application X may (or may not) do VERB on resources matching PATTERN". The schema
// lives here so the registry, the management API and the engine accept exactly the same rules.
import { parseInput, strictObject } from '@flotilla/errors';
import { z } from 'zod';
import { applicationIdSchema } from './application-id';
import { RESOURCE_PATTERN_EXPECTATION, resourcePatternProblem } from './resource-pattern';
import { POLICY_VERBS, type PolicyVerb } from './verb';

export const POLICY_EFFECTS = ['allow', 'deny'] as const;
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];

export interface Policy {
  readonly application: string;
  readonly verb: PolicyVerb;
  /** A resource pattern: see `resource-pattern.ts` and the README. */
  readonly resource: string;
  readonly effect: PolicyEffect;
}

const resourcePatternSchema = z.string().superRefine((value, ctx) => {
  const problem = resourcePatternProblem(value);
  if (problem !== undefined) {
    // The shared parser appends ", got <value>", so the message is the problem and the rule.
    ctx.addIssue({ code: 'custom', message: `resource pattern ${problem}; expected ${RESOURCE_PATTERN_EXPECTATION}` });
  }
});

const policyShape = {
  application: applicationIdSchema,
  verb: z.enum(POLICY_VERBS),
  resource: resourcePatternSchema,
  effect: z.enum(POLICY_EFFECTS),
};

/**
 * A policy as a caller submits it (API input, CLI, registry insert). Unknown keys are rejected,
 * so a misspelt field ("efect") never turns into a silent default.
 */
export const policyInputSchema = strictObject(policyShape);
export type PolicyInput = z.infer<typeof policyInputSchema>;

/** A policy as stored or pushed (registry rows, access sets): extra keys (id, createdAt) are dropped. */
export const storedPolicySchema = z.object(policyShape);

/** Validates one policy input; throws a ValidationError whose `field` names the first bad field. */
export function parsePolicy(input: unknown): PolicyInput {
  return parseInput(policyInputSchema, input, 'policy');
}

/** Checks an already-typed policy (e.g. a registry row) at `policies.<index>`. */
export function checkPolicy(policy: Policy, index: number): void {
  parseInput(storedPolicySchema, policy, 'policy', `policies.${index}`);
}

/** `deny PUT /topics/payments.* for app "billing"`: how decisions and logs name a policy. */
export function formatPolicy(policy: Policy): string {
  return `${policy.effect} ${policy.verb} ${policy.resource} for app ${JSON.stringify(policy.application)}`;
}
