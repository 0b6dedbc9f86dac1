import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_EFFECTS, POLICY_VERBS, VERBS, compilePolicies, isResourcePattern, type AccessRequest, type Policy } from './index';

// An independent, obviously-correct (and slow) reading of the pattern syntax: `**` any run,
// `*` any run without "/", everything else literal.
function globMatches(pattern: string, resource: string, i = 0, j = 0): boolean {
  if (i === pattern.length) return j === resource.length;
  if (pattern.startsWith('**', i)) {
    for (let k = j; k <= resource.length; k++) if (globMatches(pattern, resource, i + 2, k)) return true;
    return false;
  }
  if (pattern[i] === '*') {
    for (let k = j; k <= resource.length; k++) {
      if (globMatches(pattern, resource, i + 1, k)) return true;
      if (resource[k] === '/') return false;
    }
    return false;
  }
  return pattern[i] === resource[j] && globMatches(pattern, resource, i + 1, j + 1);
}

function applies(policy: Policy, request: AccessRequest): boolean {
  return (
    policy.application === request.application &&
    (policy.verb === '*' || policy.verb === request.verb) &&
    globMatches(policy.resource, request.resource)
  );
}

const application = fc.constantFrom('billing', 'search', 'audit');
const piece = fc.constantFrom('orders', 'pay', '.', 'eu', '-', 'x', '*', '**');
const patternSegment = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
const pattern = fc
  .oneof(
    patternSegment.map((segment) => `/topics/${segment}`),
    fc.tuple(patternSegment, patternSegment).map(([a, b]) => `/${a}/${b}`),
    fc.constant('/**'),
  )
  .filter(isResourcePattern);

const policy: fc.Arbitrary<Policy> = fc.record({
  application,
  verb: fc.constantFrom(...POLICY_VERBS),
  resource: pattern,
  effect: fc.constantFrom(...POLICY_EFFECTS),
});

const resourceSegment = fc
  .array(fc.constantFrom('orders', 'pay', '.', 'eu', '-', 'x'), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''))
  .filter((segment) => segment !== '.' && segment !== '..');
const request: fc.Arbitrary<AccessRequest> = fc.record({
  application,
  verb: fc.constantFrom(...VERBS),
  resource: fc.oneof(
    resourceSegment.map((segment) => `/topics/${segment}`),
    fc.tuple(resourceSegment, resourceSegment).map(([a, b]) => `/topics/${a}/${b}`),
  ),
});

const policies = fc.array(policy, { maxLength: 25 });

describe('policy engine (properties)', () => {
  it('allows exactly when some allow applies and no deny does', () => {
    fc.assert(
      fc.property(policies, fc.array(request, { minLength: 1, maxLength: 10 }), (set, requests) => {
        const engine = compilePolicies(set);
        for (const req of requests) {
          const decision = engine.authorize(req);
          const allowApplies = set.some((p) => p.effect === 'allow' && applies(p, req));
          const denyApplies = set.some((p) => p.effect === 'deny' && applies(p, req));
          expect(decision.allowed).toBe(allowApplies && !denyApplies);
          if (decision.policy === undefined) {
            expect(allowApplies || denyApplies).toBe(false);
          } else {
            // The policy named is one that really decided the request.
            expect(applies(decision.policy, req)).toBe(true);
            expect(decision.policy.effect).toBe(decision.allowed ? 'allow' : 'deny');
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('lets a deny that applies beat every allow', () => {
    fc.assert(
      fc.property(policies, request, fc.constantFrom<'same' | '*'>('same', '*'), fc.boolean(), (set, req, verb, exact) => {
        const allowEverything: Policy = { application: req.application, verb: '*', resource: '/**', effect: 'allow' };
        const deny: Policy = {
          application: req.application,
          verb: verb === '*' ? '*' : req.verb,
          resource: exact ? req.resource : '/**',
          effect: 'deny',
        };
        const decision = compilePolicies([allowEverything, ...set, deny]).authorize(req);
        expect(decision.allowed).toBe(false);
        expect(decision.reason).toMatch(/^denied by policy deny /);
      }),
      { numRuns: 300 },
    );
  });

  it('decides the same, for the same reason, whatever the order of the policies', () => {
    fc.assert(
      fc.property(
        policies.chain((set) => fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length }))),
        fc.array(request, { minLength: 1, maxLength: 10 }),
        ([set, shuffled], requests) => {
          const a = compilePolicies(set);
          const b = compilePolicies(shuffled);
          for (const req of requests) expect(b.authorize(req)).toEqual(a.authorize(req));
        },
      ),
      { numRuns: 300 },
    );
  });
});
