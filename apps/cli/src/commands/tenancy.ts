import { arg, intFlag, parseWhole, requiredFlag, stringFlag, UsageError, type CommandGroup } from '../command';
import { emit, table } from '../output';

const verbs = ['GET', 'PUT', 'POST', 'DELETE'] as const;
const roles = ['admin', 'operator', 'viewer'] as const;

function verbOf(value: string, allowAny: boolean): (typeof verbs)[number] | '*' {
  const upper = value.toUpperCase();
  if (allowAny && upper === '*') return '*';
  if (!(verbs as readonly string[]).includes(upper)) throw new UsageError(`verb: expected ${verbs.join(', ')}${allowAny ? ' or *' : ''}, got "${value}"`);
  return upper as (typeof verbs)[number];
}

export const apps: CommandGroup = {
  add: {
    usage: '<id> --owner <team> [--contact <email>]',
    summary: 'register an application',
    minArgs: 1,
    options: { owner: { type: 'string' }, contact: { type: 'string' } },
    async run({ api, out, args, flags }) {
      const contact = stringFlag(flags, 'contact');
      const app = await api.applications.add.mutate({ id: arg(args, 0), owner: requiredFlag(flags, 'owner'), ...(contact ? { contact } : {}) });
      emit(out, app, () => `registered application ${app.id} (owner ${app.owner})`);
    },
  },
  list: {
    usage: '',
    summary: 'list applications',
    async run({ api, out }) {
      const rows = await api.applications.list.query();
      emit(out, rows, () => table(['id', 'owner', 'contact', 'created'], rows.map((a) => [a.id, a.owner, a.contact, a.createdAt])));
    },
  },
  remove: {
    usage: '<id>',
    summary: 'remove an application with its credentials, policies and quota',
    minArgs: 1,
    async run({ api, out, args }) {
      const app = await api.applications.remove.mutate({ id: arg(args, 0) });
      emit(out, app, () => `removed application ${app.id}`);
    },
  },
};

export const tokens: CommandGroup = {
  issue: {
    usage: `<application> [--role ${roles.join('|')}] [--description text]`,
    summary: 'issue an API token (shown once); without --role it is for the data plane only',
    minArgs: 1,
    options: { role: { type: 'string' }, description: { type: 'string' } },
    async run({ api, out, args, flags }) {
      const role = stringFlag(flags, 'role');
      if (role !== undefined && !(roles as readonly string[]).includes(role)) throw new UsageError(`--role: expected ${roles.join(', ')}, got "${role}"`);
      const description = stringFlag(flags, 'description');
      const issued = await api.tokens.issue.mutate({
        application: arg(args, 0),
        role: (role as (typeof roles)[number] | undefined) ?? null,
        ...(description ? { description } : {}),
      });
      emit(out, issued, () => `token ${issued.id} for ${issued.application}${issued.role ? ` (role ${issued.role})` : ''}; store it now, it is not shown again:\n${issued.token}`);
    },
  },
  list: {
    usage: '[--app <application>]',
    summary: 'list credentials (never their secrets)',
    options: { app: { type: 'string' } },
    async run({ api, out, flags }) {
      const app = stringFlag(flags, 'app');
      const rows = await api.tokens.list.query(app ? { application: app } : {});
      emit(out, rows, () => table(['id', 'application', 'kind', 'role', 'created', 'revoked'], rows.map((c) => [c.id, c.application, c.kind, c.role, c.createdAt, c.revokedAt])));
    },
  },
  revoke: {
    usage: '<id>',
    summary: 'revoke a credential; requests with it are refused from now on',
    minArgs: 1,
    async run({ api, out, args }) {
      const revoked = await api.tokens.revoke.mutate({ id: arg(args, 0) });
      emit(out, revoked, () => `revoked ${revoked.id} of ${revoked.application}`);
    },
  },
};

export const policies: CommandGroup = {
  add: {
    usage: '<application> <GET|PUT|POST|DELETE|*> <resource-pattern> <allow|deny>',
    summary: 'add a policy (produce = PUT /topics/t, consume = GET /topics/t, admin = POST|DELETE)',
    minArgs: 4,
    async run({ api, out, args }) {
      const effect = arg(args, 3);
      if (effect !== 'allow' && effect !== 'deny') throw new UsageError(`effect: expected allow or deny, got "${effect}"`);
      const policy = await api.policies.add.mutate({ application: arg(args, 0), verb: verbOf(arg(args, 1), true), resource: arg(args, 2), effect });
      emit(out, policy, () => `policy ${policy.id}: ${policy.effect} ${policy.verb} ${policy.resource} for ${policy.application}`);
    },
  },
  list: {
    usage: '[--app <application>]',
    summary: 'list policies',
    options: { app: { type: 'string' } },
    async run({ api, out, flags }) {
      const app = stringFlag(flags, 'app');
      const rows = await api.policies.list.query(app ? { application: app } : {});
      emit(out, rows, () => table(['id', 'application', 'verb', 'resource', 'effect'], rows.map((p) => [p.id, p.application, p.verb, p.resource, p.effect])));
    },
  },
  remove: {
    usage: '<id>',
    summary: 'remove a policy',
    minArgs: 1,
    async run({ api, out, args }) {
      const removed = await api.policies.remove.mutate({ id: parseWhole(arg(args, 0), 'id') });
      emit(out, removed, () => `removed policy ${removed.id}`);
    },
  },
  check: {
    usage: '<application> <GET|PUT|POST|DELETE> <resource>',
    summary: 'may the application do this? (exit code 0 allowed, 3 denied)',
    minArgs: 3,
    async run({ api, out, args }) {
      const decision = await api.policies.authorize.query({ application: arg(args, 0), verb: verbOf(arg(args, 1), false) as (typeof verbs)[number], resource: arg(args, 2) });
      emit(out, decision, () => `${decision.allowed ? 'allowed' : 'denied'}: ${decision.reason}`);
      return decision.allowed ? 0 : 3;
    },
  },
};

export const quotas: CommandGroup = {
  set: {
    usage: '<application> [--bytes-per-sec n] [--requests-per-sec n]',
    summary: 'set an application quota (enforced by the proxy)',
    minArgs: 1,
    options: { 'bytes-per-sec': { type: 'string' }, 'requests-per-sec': { type: 'string' } },
    async run({ api, out, args, flags }) {
      const bytes = intFlag(flags, 'bytes-per-sec');
      const requests = intFlag(flags, 'requests-per-sec');
      const quota = await api.quotas.set.mutate({ application: arg(args, 0), bytesPerSecond: bytes ?? null, requestsPerSecond: requests ?? null });
      emit(out, quota, () => `quota for ${quota.application}: ${quota.bytesPerSecond ?? 'unlimited'} bytes/s, ${quota.requestsPerSecond ?? 'unlimited'} requests/s`);
    },
  },
  list: {
    usage: '',
    summary: 'list quotas',
    async run({ api, out }) {
      const rows = await api.quotas.list.query();
      emit(out, rows, () => table(['application', 'bytes/s', 'requests/s'], rows.map((q) => [q.application, q.bytesPerSecond, q.requestsPerSecond])));
    },
  },
  remove: {
    usage: '<application>',
    summary: 'remove a quota (no limit)',
    minArgs: 1,
    async run({ api, out, args }) {
      const result = await api.quotas.remove.mutate({ application: arg(args, 0) });
      emit(out, result, () => `removed the quota of ${result.application}`);
    },
  },
};
