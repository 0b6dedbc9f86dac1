import { intFlag, stringFlag, type CommandGroup } from '../command';
import { emit, table } from '../output';

export const clients: CommandGroup = {
  list: {
    usage: '[--topic t] [--active-within-ms ms]',
    summary: 'clients seen in heartbeats, with the mapping version they run',
    options: { topic: { type: 'string' }, 'active-within-ms': { type: 'string' } },
    async run({ api, out, flags }) {
      const topic = stringFlag(flags, 'topic');
      const active = intFlag(flags, 'active-within-ms');
      const rows = await api.clients.list.query({ ...(topic ? { topic } : {}), ...(active ? { activeWithinMs: active } : {}) });
      emit(out, rows, () =>
        table(
          ['client', 'application', 'kind', 'mapping', 'produces', 'consumes', 'group', 'last heartbeat'],
          rows.map((c) => [c.clientId, c.application, c.kind, c.mappingVersion, c.produces, c.consumes, c.groupId, c.lastHeartbeatAt]),
        ),
      );
    },
  },
};
