// What a management start does before serving: make sure an admin can get in (an admin API token
// in a 0600 file on this host), give this host's routers a token when asked to and register the clusters it was told about. Both are idempotent,
// so every start runs them; only what is missing is created.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { addCluster, authenticate, createChanges, transactOn, type AddClusterInput, type ApiServices } from '@flotilla/api';
import { generateApiToken } from '@flotilla/auth';
import { createRegistry } from '@flotilla/db';
import { NotFoundError } from '@flotilla/errors';
import { z } from 'zod';

export const ADMIN_APPLICATION = 'flotilla-admin';
export const ROUTER_APPLICATION = 'flotilla-router';
const SYSTEM_ACTOR = 'system/management';

/**
 * Returns a working admin token: the one in `tokenFile` if it still authenticates as an admin,
 * otherwise a newly issued one written there (whoever can read that file administers this host).
 */
export function ensureAdminToken(services: ApiServices, tokenFile: string): Promise<{ token: string; issued: boolean }> {
  return ensureToken(services, tokenFile, { application: ADMIN_APPLICATION, owner: 'platform operators', role: 'admin' });
}

/**
 * Returns a data-plane token for this host's routers (application `flotilla-router`, no management
 * role: enough to heartbeat, nothing more), kept in `tokenFile` as the admin token is.
 */
export function ensureRouterToken(services: ApiServices, tokenFile: string): Promise<{ token: string; issued: boolean }> {
  return ensureToken(services, tokenFile, { application: ROUTER_APPLICATION, owner: 'platform operators', role: undefined });
}

/** The token in `tokenFile` if it still authenticates as `application` with `role`, else a new one written there. */
async function ensureToken(
  services: ApiServices,
  tokenFile: string,
  { application, owner, role }: { application: string; owner: string; role: 'admin' | undefined },
): Promise<{ token: string; issued: boolean }> {
  const existing = await readFile(tokenFile, 'utf8').then((text) => text.trim(), () => undefined);
  if (existing) {
    const auth = await authenticate(services.db, { authorization: `Bearer ${existing}` });
    if (auth.identity?.application === application && auth.identity.role === role) return { token: existing, issued: false };
  }
  const generated = generateApiToken();
  await createChanges(transactOn(services.db), SYSTEM_ACTOR, 'tokens.issue').run(async (registry, audit) => {
    const known = await registry.applications.get(application).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (!known) await registry.applications.add({ id: application, owner });
    const credential = await registry.credentials.issueToken({
      application,
      ...(role === undefined ? {} : { role }),
      description: `issued at start-up into ${tokenFile}`,
      tokenId: generated.tokenId,
      tokenHash: generated.hash,
    });
    await audit({ target: `application/${application}`, details: { credential: credential.id, role: role ?? null } });
  });
  await mkdir(dirname(tokenFile), { recursive: true });
  await writeFile(tokenFile, `${generated.token}\n`, { mode: 0o600 });
  await chmod(tokenFile, 0o600);
  return { token: generated.token, issued: true };
}

/**
 * Management's secret key (32 bytes, hex in a 0600 file), made on the first start that needs it.
 * Applications' Kafka passwords derive from it: losing it means rotating every Kafka credential,
 * and whoever reads it can derive them, so it is kept like the admin token.
 */
export async function ensureSecretKey(file: string): Promise<{ key: Buffer; created: boolean }> {
  const existing = await readFile(file, 'utf8').then((text) => text.trim(), () => undefined);
  if (existing) {
    if (!/^[0-9a-f]{64}$/.test(existing)) throw new Error(`${file} does not hold a secret key (64 hex digits); move it away to have a new one made, then rotate every Kafka credential`);
    return { key: Buffer.from(existing, 'hex'), created: false };
  }
  const key = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}

const seedClustersSchema = z.array(
  z.object({
    name: z.string(),
    role: z.enum(['fronting', 'consumer']),
    tier: z.enum(['low', 'medium', 'high']).nullish(),
    bootstrap: z.array(z.string()).min(1),
    saslBootstrap: z.array(z.string()).min(1).nullish(),
    zone: z.string().nullish(),
  }),
);

/** Parses FLOTILLA_SEED_CLUSTERS; a bad value stops start-up naming what is wrong. */
export function parseSeedClusters(text: string | undefined): AddClusterInput[] {
  if (text === undefined || text.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error: unknown) {
    throw new Error(`FLOTILLA_SEED_CLUSTERS is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = seedClustersSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`FLOTILLA_SEED_CLUSTERS[${issue?.path.join('.') ?? ''}]: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Registers the seed clusters that are not registered yet; one that does not answer is reported and skipped. */
export async function registerSeedClusters(
  services: ApiServices,
  seeds: readonly AddClusterInput[],
  report: (line: string) => void,
): Promise<void> {
  const registered = new Set((await createRegistry(services.db).clusters.list()).map((cluster) => cluster.name));
  const changes = createChanges(transactOn(services.db), SYSTEM_ACTOR, 'clusters.add');
  for (const seed of seeds) {
    if (registered.has(seed.name)) continue;
    try {
      const cluster = await addCluster({ services, changes }, seed);
      report(`registered cluster ${cluster.name} (${cluster.role}${cluster.tier ? `, ${cluster.tier}` : ''}, ${cluster.brokerCount} broker(s))`);
    } catch (error: unknown) {
      report(`could not register cluster ${seed.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
