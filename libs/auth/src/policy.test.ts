import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { formatPolicy, parsePolicy, policyInputSchema } from './index';

const valid = { application: 'billing', verb: 'PUT', resource: '/topics/payments.*', effect: 'deny' };

function validationError(input: unknown): ValidationError {
  try {
    parsePolicy(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('policy input', () => {
  it('accepts a well-formed policy and formats it as decisions name it', () => {
    const policy = parsePolicy(valid);
    expect(policy).toEqual(valid);
    expect(formatPolicy(policy)).toBe('deny PUT /topics/payments.* for app "billing"');
  });

  it('is a zod schema the registry and API layers can reuse as it is', () => {
    expect(policyInputSchema.safeParse({ ...valid, verb: '*' }).success).toBe(true);
    expect(policyInputSchema.safeParse({ ...valid, verb: 'PATCH' }).success).toBe(false);
  });

  it('names the field, the value and what was expected', () => {
    const badResource = validationError({ ...valid, resource: '/topics//x' });
    expect(badResource.field).toBe('resource');
    expect(badResource.message).toMatch(
      /^invalid policy: resource: resource pattern has an empty segment 2; expected a pattern such as "\/topics\/orders\.\*".*, got "\/topics\/\/x"$/,
    );

    const badVerb = validationError({ ...valid, verb: 'PATCH' });
    expect(badVerb.field).toBe('verb');
    expect(badVerb.message).toMatch(/^invalid policy: verb: .*expected one of "GET"\|"PUT"\|"POST"\|"DELETE"\|"\*", got "PATCH"$/);

    const badApplication = validationError({ ...valid, application: 'Billing' });
    expect(badApplication.field).toBe('application');
    expect(badApplication.message).toBe(
      'invalid policy: application: expected an application id of 1–63 characters of a-z 0-9 . _ -, starting with a letter or digit, got "Billing"',
    );

    const missingEffect = validationError({ application: 'billing', verb: 'GET', resource: '/topics/x' });
    expect(missingEffect.field).toBe('effect');
    expect(missingEffect.message).toMatch(/^invalid policy: effect: .*expected one of "allow"\|"deny", got nothing$/);
  });

  it('rejects a misspelt key with the keys that are allowed, instead of ignoring it', () => {
    const error = validationError({ application: 'billing', verb: 'GET', resource: '/topics/x', efect: 'allow', effect: 'allow' });
    expect(error.message).toBe('invalid policy: unknown key "efect", expected only application, verb, resource, effect');
  });

  it('reports every problem at once', () => {
    const error = validationError({ application: '', verb: 'x', resource: 'y', effect: 'z' });
    expect(error.message).toMatch(/^invalid policy: application: .*; verb: .*; resource: .*; effect: .*$/);
    expect(error.field).toBe('application');
  });
});
