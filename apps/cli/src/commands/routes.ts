// `flotilla routes`: the router's routes, declared in management and followed by routers.
import { arg, type Command, type CommandGroup } from '../command';
import { emit, fields, table } from '../output';

/** The route document in `path` (`-`: standard input), parsed as JSON; management validates the rest. */
async function readDefinition(readText: (path: string) => Promise<string>, path: string): Promise<unknown> {
  const from = path === '-' ? 'standard input' : path;
  let text: string;
  try {
    text = await readText(path);
  } catch (error: unknown) {
    throw new Error(`cannot read the route from ${from}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    throw new Error(`the route ${path === '-' ? 'on standard input' : `in ${path}`} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** `routes pause|resume <name>`: one call, and what it changed. */
function stateCommand(verb: 'pause' | 'resume', state: 'paused' | 'active', summary: string): Command {
  return {
    usage: '<name>',
    summary,
    minArgs: 1,
    async run({ api, out, args }) {
      const result = await api.routes[verb].mutate({ name: arg(args, 0) });
      emit(out, result, () => (result.changed ? `${verb}d route ${result.name}` : `route ${result.name} was already ${state}`) + ` (route set version ${result.version})`);
    },
  };
}

export const routes: CommandGroup = {
  add: {
    usage: '<file.json | -> [--replace]',
    summary: 'add a route from a JSON file (- reads standard input); --replace changes a route of the same name',
    details: [
      'A route: { "name", "source", "destinations": [{ "topic" }], "steps": [...], "keyed", "deadLetterTopic" }.',
      'A destination without a topic is the source topic; the dead-letter topic defaults to <name>.dlq and is',
      'created (on the source\'s tier, with its partitions) when it does not exist. Every topic named must be',
      'registered; a route that closes a cycle of routes, or writes a topic back to clusters it is read from, is',
      'refused. A replaced route keeps its state (paused or active). Published as the next route set at once.',
    ].join('\n'),
    minArgs: 1,
    options: { replace: { type: 'boolean' } },
    async run({ api, out, args, flags, readText }) {
      const definition = await readDefinition(readText, arg(args, 0));
      const result = await api.routes.add.mutate({ definition, replace: flags['replace'] === true });
      emit(out, result, () => {
        const { route, deadLetterTopic } = result;
        const dlq = deadLetterTopic.created ? `created dead-letter topic ${deadLetterTopic.name} on ${deadLetterTopic.cluster ?? '?'}` : `dead-letter topic ${deadLetterTopic.name}`;
        return `${result.replaced ? 'replaced' : 'added'} route ${route.name} (${route.state}): ${route.definition.source} → ${route.definition.destinations.map((d) => d.topic).join(', ')}; ${dlq}; route set version ${result.version}`;
      });
    },
  },
  list: {
    usage: '',
    summary: 'list routes with their state, source and destinations',
    async run({ api, out }) {
      const listed = await api.routes.list.query();
      emit(out, listed, () =>
        listed.routes.length === 0
          ? `no routes (route set version ${listed.version})`
          : table(
              ['name', 'state', 'source', 'destinations', 'steps', 'keyed', 'dead letter', 'updated by', 'updated'],
              listed.routes.map((r) => [r.name, r.state, r.source, r.destinations, r.steps, r.keyed, r.deadLetterTopic, r.updatedBy, new Date(r.updatedAt)]),
            ),
      );
    },
  },
  describe: {
    usage: '<name>',
    summary: 'a route: its definition, state, the route-set version, and the routers serving it',
    minArgs: 1,
    async run({ api, out, args }) {
      const d = await api.routes.describe.query({ name: arg(args, 0) });
      emit(out, d, () => {
        const { route, routeSet } = d;
        const head = fields([
          ['name', route.name],
          ['state', route.state],
          ['source', route.definition.source],
          ['destinations', route.definition.destinations.map((dest) => dest.topic)],
          ['keyed', route.definition.keyed],
          ['dead letter', route.definition.deadLetterTopic],
          ['updated', `${route.updatedAt.replace(/\.\d{3}Z$/, 'Z')} by ${route.updatedBy}`],
          ['route set', `version ${routeSet.version} (${routeSet.reason})`],
        ]);
        const steps = route.definition.steps.length === 0 ? 'steps: none (records are copied as they are)' : ['steps:', ...route.definition.steps.map((step, i) => `  ${i + 1}. ${JSON.stringify(step)}`)].join('\n');
        // Counts are those of each instance's latest one-minute window (the current one, still filling).
        const instances =
          d.instances.length === 0
            ? 'instances: none reporting'
            : table(
                ['instance', 'application', 'route set', 'lag', 'window', 'in', 'out', 'filtered', 'dead-lettered', 'last heartbeat'],
                d.instances.map((i) => [i.clientId, i.application, i.routeSetVersion, i.lag, i.window ?? '-', i.recordsIn, i.recordsOut, i.filtered, i.deadLettered, new Date(i.lastHeartbeatAt)]),
              );
        return `${head}\n${steps}\n\n${instances}`;
      });
    },
  },
  pause: stateCommand('pause', 'paused', 'pause a route: routers stop reading its source and keep their place'),
  resume: stateCommand('resume', 'active', 'resume a paused route where it stopped'),
  remove: {
    usage: '<name>',
    summary: 'remove a route (its dead-letter topic stays)',
    minArgs: 1,
    async run({ api, out, args }) {
      const result = await api.routes.remove.mutate({ name: arg(args, 0) });
      emit(out, result, () => `removed route ${result.name} (route set version ${result.version}); its dead-letter topic ${result.deadLetterTopic} stays (flotilla topics delete ${result.deadLetterTopic})`);
    },
  },
};
