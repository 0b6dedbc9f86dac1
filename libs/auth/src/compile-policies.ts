// The policy engine (ARCHITECTURE.md §6). Rules are compiled once per policy set so the proxy can
// ask per request: an application lookup, a verb lookup, a map lookup for exact resources and a
// short scan of wildcard patterns. Default deny; an explicit deny beats any allow.
//
// Decisions do not depend on the order policies are given in: within each verb bucket, rules
// are sorted (exact before wildcard, a named verb before `*`, longer pattern first, then
// code-unit order), and the first matching deny, else the first matching allow, decides. The
// same set therefore always names the same policy in its reason.
import { compareStrings, showValue } from '@flotilla/errors';
import type { AccessDecision, AccessRequest } from './access-request';
import { checkPolicy, formatPolicy, type Policy } from './policy';
import { RESOURCE_EXPECTATION, isResource, resourceProblem } from './resource-path';
import { compileResourcePattern, type ResourceMatcher } from './resource-pattern';
import { VERBS, isVerb, type Verb } from './verb';

export interface PolicySet<P extends Policy = Policy> {
  /** How many policies were compiled. */
  readonly size: number;
  authorize(request: AccessRequest): AccessDecision<P>;
}

interface PatternRule<P extends Policy> {
  readonly matcher: ResourceMatcher;
  readonly decision: AccessDecision<P>;
}

/** The rules of one effect for one (application, verb). */
interface EffectRules<P extends Policy> {
  readonly exact: Map<string, AccessDecision<P>>;
  readonly patterns: PatternRule<P>[];
}

interface VerbRules<P extends Policy> {
  readonly deny: EffectRules<P>;
  readonly allow: EffectRules<P>;
}

type ApplicationRules<P extends Policy> = Readonly<Record<Verb, VerbRules<P>>>;

interface Compiled<P extends Policy> {
  readonly policy: P;
  readonly matcher: ResourceMatcher;
  readonly decision: AccessDecision<P>;
}

function byPrecedence<P extends Policy>(a: Compiled<P>, b: Compiled<P>): number {
  if (a.matcher.exact !== b.matcher.exact) return a.matcher.exact ? -1 : 1;
  const aAny = a.policy.verb === '*';
  if (aAny !== (b.policy.verb === '*')) return aAny ? 1 : -1;
  if (a.policy.resource.length !== b.policy.resource.length) {
    return b.policy.resource.length - a.policy.resource.length;
  }
  return compareStrings(a.policy.resource, b.policy.resource);
}

function emptyApplicationRules<P extends Policy>(): ApplicationRules<P> {
  const rules = {} as Record<Verb, VerbRules<P>>;
  for (const verb of VERBS) {
    rules[verb] = {
      deny: { exact: new Map(), patterns: [] },
      allow: { exact: new Map(), patterns: [] },
    };
  }
  return rules;
}

function find<P extends Policy>(rules: EffectRules<P>, resource: string): AccessDecision<P> | undefined {
  const exact = rules.exact.get(resource);
  if (exact !== undefined) return exact;
  for (const rule of rules.patterns) {
    if (rule.matcher.matches(resource)) return rule.decision;
  }
  return undefined;
}

function deny(reason: string): AccessDecision<never> {
  return { allowed: false, reason };
}

/**
 * Validates and compiles `policies`. Throws a ValidationError whose field is
 * `policies.<index>.<field>` for the first invalid one, so a bad rule never half-loads.
 */
export function compilePolicies<P extends Policy>(policies: readonly P[]): PolicySet<P> {
  const compiled: Compiled<P>[] = policies.map((policy, index) => {
    checkPolicy(policy, index);
    const matcher = compileResourcePattern(policy.resource, `policies.${index}.resource`);
    const verdict = policy.effect === 'deny' ? 'denied' : 'allowed';
    const decision: AccessDecision<P> = Object.freeze({
      allowed: policy.effect === 'allow',
      reason: `${verdict} by policy ${formatPolicy(policy)}`,
      policy,
    });
    return { policy, matcher, decision };
  });
  compiled.sort(byPrecedence);

  const byApplication = new Map<string, ApplicationRules<P>>();
  for (const rule of compiled) {
    let rules = byApplication.get(rule.policy.application);
    if (rules === undefined) {
      rules = emptyApplicationRules<P>();
      byApplication.set(rule.policy.application, rules);
    }
    const verbs = rule.policy.verb === '*' ? VERBS : [rule.policy.verb];
    for (const verb of verbs) {
      const target = rules[verb][rule.policy.effect];
      if (rule.matcher.exact) {
        // Sorted order: the first rule for a resource takes precedence over later ones.
        if (!target.exact.has(rule.policy.resource)) target.exact.set(rule.policy.resource, rule.decision);
      } else {
        target.patterns.push({ matcher: rule.matcher, decision: rule.decision });
      }
    }
  }

  return {
    size: policies.length,
    authorize(request: AccessRequest): AccessDecision<P> {
      const { application, verb, resource } = request;
      // Requests come from the wire as often as from code: a malformed one is denied, never thrown.
      if (!isVerb(verb)) return deny(`invalid verb ${showValue(verb)}, expected one of ${VERBS.join(', ')}`);
      if (typeof resource !== 'string' || !isResource(resource)) {
        const problem = typeof resource === 'string' ? resourceProblem(resource) : undefined;
        return deny(`${problem ?? `invalid resource ${showValue(resource)}`}, expected ${RESOURCE_EXPECTATION}`);
      }
      const rules = byApplication.get(application)?.[verb];
      if (rules !== undefined) {
        const decision = find(rules.deny, resource) ?? find(rules.allow, resource);
        if (decision !== undefined) return decision;
      }
      return deny(`no policy allows app ${JSON.stringify(application)} to ${verb} ${resource}`);
    },
  };
}

/** One-off decision; compile once with `compilePolicies` when deciding repeatedly. */
export function authorize<P extends Policy>(policies: readonly P[], request: AccessRequest): AccessDecision<P> {
  return compilePolicies(policies).authorize(request);
}
