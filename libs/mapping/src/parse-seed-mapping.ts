// The two documents of the original design, accepted on their own: a producer-only map
// (topic → { where: [{ sink }] }) and a consumer-only map (topic → [{ vip }]). They declare no
// clusters, so cluster names are taken as given. Issue paths are written as if the document
// were the `producers` / `consumers` section of a full mapping, which is exactly what it is.
import { checkProtoKeys } from './check-mapping';
import { deepFreeze } from './deep-freeze';
import { expandConsumerRules, expandProducerRules } from './expand-rules';
import { MappingValidationError, type MappingIssue } from './errors';
import type { ConsumerRules, ProducerRules } from './mapping-document';
import { consumerRulesSchema, producerRulesSchema } from './mapping-schema';
import { parseSection } from './zod-issues';

export function parseSeedProducerMapping(input: unknown): ProducerRules {
  const issues: MappingIssue[] = [];
  checkProtoKeys(input, ['producers'], issues);
  const rules = parseSection(producerRulesSchema, input, ['producers'], issues);
  if (rules !== undefined) expandProducerRules(rules, undefined, issues);
  if (issues.length > 0 || rules === undefined) throw new MappingValidationError(issues);
  return deepFreeze(rules);
}

export function parseSeedConsumerMapping(input: unknown): ConsumerRules {
  const issues: MappingIssue[] = [];
  checkProtoKeys(input, ['consumers'], issues);
  const rules = parseSection(consumerRulesSchema, input, ['consumers'], issues);
  if (rules !== undefined) expandConsumerRules(rules, undefined, issues);
  if (issues.length > 0 || rules === undefined) throw new MappingValidationError(issues);
  return deepFreeze(rules);
}
