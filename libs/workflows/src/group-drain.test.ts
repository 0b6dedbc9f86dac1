import { describe, expect, it } from 'vitest';
import { groupTracker } from './group-drain';

const MINUTE = 60_000;

describe('groupTracker', () => {
  it('does not call a source drained while no group has read it: a group created later could still need it', () => {
    const judge = groupTracker(15 * MINUTE, 'fronting-1');
    const verdict = judge({ lag: {}, groups: {} }, 0);
    expect(verdict.drained).toBe(false);
    expect(verdict.blockedBy).toBe('no live consumer group has read fronting-1 yet: a group created later could still need it');
  });

  it('names each group that is behind, with its lag, members and last commit seen', () => {
    const judge = groupTracker(15 * MINUTE, 'fronting-1');
    const verdict = judge({ lag: { billing: 40, audit: 0 }, groups: { billing: { members: 2, committed: 100 }, audit: { members: 1, committed: 140 } } }, Date.UTC(2026, 11, 7, 12));
    expect(verdict.drained).toBe(false);
    expect(verdict.blockedBy).toBe('group billing is 40 records behind on fronting-1 (2 members, last commit seen 2026-12-07T12:00:00.000Z)');
  });

  it('calls it drained once every live group read to the end', () => {
    const judge = groupTracker(15 * MINUTE, 'fronting-1');
    expect(judge({ lag: { billing: 0 }, groups: { billing: { members: 0, committed: 140 } } }, 0)).toMatchObject({ drained: true, blockedBy: null });
  });

  it('stops waiting for a group with no members that has not committed for the stale time, and reports it stale', () => {
    const judge = groupTracker(15 * MINUTE, 'fronting-1');
    const status = { lag: { gone: 500, live: 0 }, groups: { gone: { members: 0, committed: 10 }, live: { members: 1, committed: 510 } } };
    expect(judge(status, 0).drained).toBe(false);
    expect(judge(status, 14 * MINUTE).drained).toBe(false);
    const later = judge(status, 15 * MINUTE);
    expect(later.drained).toBe(true);
    expect(later.groups.find((g) => g.group === 'gone')).toMatchObject({ stale: true, lag: 500, lastCommitSeenAt: 0 });
  });

  it('keeps waiting for an empty group that still commits (a job between runs), and for one with members', () => {
    const judge = groupTracker(MINUTE, 'fronting-1');
    judge({ lag: { job: 50, member: 5 }, groups: { job: { members: 0, committed: 10 }, member: { members: 1, committed: 1 } } }, 0);
    const verdict = judge({ lag: { job: 20, member: 5 }, groups: { job: { members: 0, committed: 40 }, member: { members: 1, committed: 1 } } }, 2 * MINUTE);
    expect(verdict.groups.map((g) => [g.group, g.stale])).toEqual([
      ['job', false],
      ['member', false],
    ]);
    expect(verdict.drained).toBe(false);
  });
});
