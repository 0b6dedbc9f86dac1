// `flotilla credentials`: applications' Kafka credentials (SASL/SCRAM-SHA-512 on the clusters'
// authenticated listener), and `flotilla policies sync`: the brokers' ACLs and quotas against the
// registry.
import { arg, type Command, type CommandGroup } from '../command';
import { emit, fields, table } from '../output';

export const credentials: CommandGroup = {
  rotate: {
    usage: '<application>',
    summary: "make the application's Kafka credential, or a new password for it (shown once), on every active cluster",
    details:
      'Kafka clients authenticate with SASL/SCRAM-SHA-512 as user <application> on each cluster\'s authenticated listener. ' +
      'The old password stops working for new connections at once; open connections end at their next re-authentication (15 s). ' +
      'What the application may do there is its policies, as Kafka ACLs (flotilla policies sync --dry-run shows them).',
    minArgs: 1,
    async run({ api, out, args }) {
      const rotated = await api.kafkaCredentials.rotate.mutate({ application: arg(args, 0) });
      emit(out, rotated, () =>
        [
          fields([
            ['username', rotated.username],
            ['mechanism', rotated.mechanism],
            ['generation', rotated.generation],
          ]),
          `password (store it now, it is not shown again): ${rotated.password}`,
          table(['cluster', 'installed', 'error'], rotated.clusters.map((c) => [c.cluster, c.installed, c.error ?? null])),
        ].join('\n'),
      );
      // A cluster that could not be reached gets the credential from the next sync; say so by the exit code.
      return rotated.clusters.every((c) => c.installed) ? 0 : 1;
    },
  },
  revoke: {
    usage: '<application>',
    summary: "remove the application's Kafka credential and ACLs from every active cluster",
    minArgs: 1,
    async run({ api, out, args }) {
      const revoked = await api.kafkaCredentials.revoke.mutate({ application: arg(args, 0) });
      emit(out, revoked, () => `revoked the Kafka credential of ${revoked.application}; the brokers refuse it from now on`);
    },
  },
  list: {
    usage: '',
    summary: 'list the applications with a Kafka credential (never a password)',
    async run({ api, out }) {
      const rows = await api.kafkaCredentials.list.query();
      emit(out, rows, () => table(['application', 'generation', 'created', 'rotated'], rows.map((c) => [c.application, c.generation, c.createdAt, c.rotatedAt])));
    },
  },
};

export const policiesSync: Command = {
  usage: '[--dry-run]',
  summary: "bring every active cluster's ACLs, SCRAM users and quotas in line with the registry; --dry-run only shows the difference",
  options: { 'dry-run': { type: 'boolean' } },
  async run({ api, out, flags }) {
    const report = await api.brokers.sync.mutate({ dryRun: flags['dry-run'] === true });
    const rows = report.clusters.flatMap((c) => {
      if (c.error !== undefined) return [[c.cluster, 'error', c.error]];
      const d = c.diff;
      if (!d) return [];
      return [
        ...d.createAcls.map((b) => [c.cluster, '+ acl', `${b.permission} ${b.principal} ${b.operation} ${b.resourceType}:${b.patternType}:${b.name}`]),
        ...d.deleteAcls.map((b) => [c.cluster, '- acl', `${b.permission} ${b.principal} ${b.operation} ${b.resourceType}:${b.patternType}:${b.name}`]),
        ...d.upsertUsers.map((u) => [c.cluster, '+ user', u]),
        ...d.deleteUsers.map((u) => [c.cluster, '- user', u]),
        ...d.quotas.map((q) => [c.cluster, '~ quota', `${q.user} ${JSON.stringify(q.set)}${q.remove.length ? ` remove ${q.remove.join(',')}` : ''}`]),
      ];
    });
    emit(out, report, () =>
      [
        rows.length === 0 ? `every cluster matches the registry (${report.clusters.length} cluster(s))` : table(['cluster', 'change', 'what'], rows),
        ...report.notes.map((note) => `note: ${note}`),
        report.dryRun && rows.length > 0 ? '(dry run: nothing changed)' : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    return report.clusters.some((c) => c.error !== undefined) ? 1 : 0;
  },
};
