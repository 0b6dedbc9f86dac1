// The KafkaJS compatibility suite (issue #22): every scenario, written as KafkaJS documents it,
// runs on plain kafkajs and on the smart client over each transport, and all must observe the
// same. A subject listed in a scenario's gaps is skipped with the reason, so the suite's skipped
// lines are the list of what does not behave as KafkaJS yet; libs/client/README.md's migration
// table says the same.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeAdminScenarios } from './admin-scenarios';
import { scenarios, type Cleanup } from './scenarios';
import { startSubjects, type Subject, type Subjects } from './subjects';
import { transactionScenarios } from './transaction-scenarios';

let subjects: Subjects;
const closers: (() => Promise<unknown>)[] = [];
const cleanup: Cleanup = (close) => void closers.push(close);

beforeAll(async () => {
  subjects = await startSubjects();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});
afterAll(async () => {
  await subjects?.stop();
});

const names: Subject['name'][] = ['kafkajs', 'flotilla over kafkajs', 'flotilla over node-rdkafka'];
// FLOTILLA_COMPAT_GAPS=1 runs the known gaps too: the way to see which of them a change closed.
const runGaps = process.env['FLOTILLA_COMPAT_GAPS'] === '1';

describe.each(names)('%s', (name) => {
  for (const scenario of [...scenarios, ...transactionScenarios]) {
    const gap = scenario.gaps?.[name];
    if (gap && !runGaps) {
      it.skip(`${scenario.name} — gap: ${gap}`, () => {});
      continue;
    }
    it(scenario.name, async () => {
      const subject = subjects.all.find((s) => s.name === name);
      if (!subject) throw new Error(`no subject ${name}`);
      expect(await scenario.run(subject.kafka, cleanup)).toEqual(scenario.expected);
    }, 60_000);
  }
});

describeAdminScenarios(names, cleanup);
