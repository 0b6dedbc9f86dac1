// Routes form a graph of topics (an edge from a route's source to each destination). A route that
// closes a loop would send records round it for ever, so adding one is refused with the chain.
// A route to its own source topic is not an edge here: it moves records from the producer-side
// clusters to the consumer-side ones, and own-input.ts checks that those differ.

export interface RouteEdges {
  readonly name: string;
  readonly source: string;
  readonly destinations: readonly { readonly topic: string }[];
}

export interface RouteHop {
  readonly route: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The shortest chain of hops that `candidate` would close into a cycle with `routes` (which must
 * not contain a route of the candidate's name), starting with the candidate's own hop; undefined
 * when it closes none.
 */
export function findRouteCycle(routes: readonly RouteEdges[], candidate: RouteEdges): RouteHop[] | undefined {
  const outgoing = new Map<string, RouteHop[]>();
  for (const route of routes) {
    for (const { topic } of route.destinations) {
      if (topic === route.source) continue;
      const hops = outgoing.get(route.source) ?? [];
      hops.push({ route: route.name, from: route.source, to: topic });
      outgoing.set(route.source, hops);
    }
  }
  // Breadth first from the candidate's destinations back to its source: the shortest chain.
  const reachedBy = new Map<string, RouteHop>();
  const queue: string[] = [];
  for (const { topic } of candidate.destinations) {
    if (topic === candidate.source || reachedBy.has(topic)) continue;
    reachedBy.set(topic, { route: candidate.name, from: candidate.source, to: topic });
    queue.push(topic);
  }
  for (let i = 0; i < queue.length; i++) {
    const topic = queue[i] ?? '';
    for (const hop of outgoing.get(topic) ?? []) {
      if (hop.to === candidate.source) return [...chainTo(reachedBy, topic), hop];
      if (reachedBy.has(hop.to)) continue;
      reachedBy.set(hop.to, hop);
      queue.push(hop.to);
    }
  }
  return undefined;
}

/** The hops of the breadth-first tree from the candidate's source to `topic` (the source itself is never in it). */
function chainTo(reachedBy: ReadonlyMap<string, RouteHop>, topic: string): RouteHop[] {
  const chain: RouteHop[] = [];
  for (let hop = reachedBy.get(topic); hop !== undefined; hop = reachedBy.get(hop.from)) chain.unshift(hop);
  return chain;
}

/** `a → b (route "x") → a (route "y")`. */
export function formatCycle(chain: readonly RouteHop[]): string {
  const first = chain[0];
  if (!first) return '';
  return [first.from, ...chain.map((hop) => `${hop.to} (route "${hop.route}")`)].join(' → ');
}
