import { describe, expect, it } from 'vitest';
import { findRouteCycle, formatCycle, type RouteEdges } from './route-cycle';

const route = (name: string, source: string, ...destinations: string[]): RouteEdges => ({ name, source, destinations: destinations.map((topic) => ({ topic })) });

describe('findRouteCycle', () => {
  it('finds the two-route cycle A→B, B→A and names both routes', () => {
    const chain = findRouteCycle([route('a-to-b', 'a', 'b')], route('b-to-a', 'b', 'a'));

    expect(chain).toEqual([
      { route: 'b-to-a', from: 'b', to: 'a' },
      { route: 'a-to-b', from: 'a', to: 'b' },
    ]);
    expect(formatCycle(chain ?? [])).toBe('b → a (route "b-to-a") → b (route "a-to-b")');
  });

  it('finds a longer cycle through a fan-out, and the shortest one when there are two', () => {
    const routes = [route('ab', 'a', 'x', 'b'), route('bc', 'b', 'c'), route('cd', 'c', 'd'), route('xd', 'x', 'd')];

    const chain = findRouteCycle(routes, route('da', 'd', 'a'));

    expect(formatCycle(chain ?? [])).toBe('d → a (route "da") → x (route "ab") → d (route "xd")');
  });

  it('accepts chains and diamonds that do not come back to the source', () => {
    const routes = [route('ab', 'a', 'b'), route('ac', 'a', 'c'), route('bd', 'b', 'd'), route('cd', 'c', 'd')];

    expect(findRouteCycle(routes, route('de', 'd', 'e'))).toBeUndefined();
    expect(findRouteCycle(routes, route('ea', 'e', 'a'))).toBeUndefined();
  });

  it('does not count a route to its own source topic (fronting to consumer clusters) as a cycle', () => {
    expect(findRouteCycle([route('clicks', 'clicks', 'clicks')], route('clicks-eu', 'clicks', 'clicks', 'clicks-eu'))).toBeUndefined();
  });

  it('closes a cycle through another route that also copies its own topic', () => {
    const chain = findRouteCycle([route('ba', 'b', 'b', 'a')], route('ab', 'a', 'b'));

    expect(formatCycle(chain ?? [])).toBe('a → b (route "ab") → a (route "ba")');
  });
});
