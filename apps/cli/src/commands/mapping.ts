import { arg, intFlag, parseWhole, requiredFlag, type CommandGroup } from '../command';
import { emit, table } from '../output';

export const mapping: CommandGroup = {
  show: {
    usage: '[--version n]',
    summary: 'the current mapping document (or a given version)',
    options: { version: { type: 'string' } },
    async run({ api, out, flags }) {
      const version = intFlag(flags, 'version');
      const found = version === undefined ? await api.mapping.current.query() : await api.mapping.get.query({ version });
      if (!found) {
        emit(out, null, () => 'no mapping version has been published yet');
        return;
      }
      // The document is JSON either way; people get the header line too.
      out.write(out.json ? JSON.stringify(found, null, 2) : `version ${found.version} by ${found.author} at ${new Date(found.createdAt).toISOString()}: ${found.reason}\n${JSON.stringify(found.document, null, 2)}`);
    },
  },
  diff: {
    usage: '<from> [<to>]',
    summary: 'what changed between two versions (to: the current one)',
    minArgs: 1,
    async run({ api, out, args }) {
      const from = parseWhole(arg(args, 0), 'from');
      const to = args[1] === undefined ? undefined : parseWhole(args[1], 'to');
      const diff = await api.mapping.diff.query({ from, ...(to === undefined ? {} : { to }) });
      emit(out, diff, () => {
        const lines = [`version ${diff.fromVersion} → ${diff.toVersion}`];
        for (const change of diff.topics) lines.push(`  topic ${JSON.stringify(change)}`);
        for (const change of diff.clusters) lines.push(`  cluster ${JSON.stringify(change)}`);
        for (const change of diff.handoffs) lines.push(`  handoff ${JSON.stringify(change)}`);
        if (lines.length === 1) lines.push('  no changes');
        return lines.join('\n');
      });
    },
  },
  history: {
    usage: '[--limit n]',
    summary: 'published versions, newest first',
    options: { limit: { type: 'string' } },
    async run({ api, out, flags }) {
      const limit = intFlag(flags, 'limit');
      const rows = await api.mapping.history.query(limit === undefined ? {} : { limit });
      emit(out, rows, () => table(['version', 'created', 'author', 'reason'], rows.map((v) => [v.version, new Date(v.createdAt), v.author, v.reason])));
    },
  },
  publish: {
    usage: '--reason <text>',
    summary: 'publish the registry as it stands as a new version',
    options: { reason: { type: 'string' } },
    async run({ api, out, flags }) {
      const result = await api.mapping.publish.mutate({ reason: requiredFlag(flags, 'reason') });
      emit(out, result, () => `published mapping version ${result.version}`);
    },
  },
};
