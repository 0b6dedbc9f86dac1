// `npm run kafka -- <command>`: start and stop named local Kafka clusters by hand.
//   start <name> [--brokers 1|3] [--port 39092]   start (or restart) a cluster, then return
//   stop <name> | kill <name>                       graceful stop | SIGKILL (fault testing)
//   status                                          clusters under .flotilla/manual and their state
//   fetch                                           download the jars only
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stateDir } from '@flotilla/local-runtime';
import { ensureKafkaJars } from './kafka-jars';
import { openCluster, startCluster } from './kafka-cluster';

const runDir = stateDir('manual');
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { brokers: { type: 'string', default: '1' }, port: { type: 'string', default: '39092' } },
});
const [command, name] = positionals;

function requireName(): string {
  if (!name) throw new Error(`usage: npm run kafka -- ${command} <cluster-name>`);
  return name;
}

try {
  switch (command) {
    case 'fetch':
      console.log(`jars in ${await ensureKafkaJars((line) => console.log(line))}`);
      break;
    case 'start': {
      const brokers = Number(values.brokers);
      if (brokers !== 1 && brokers !== 3) throw new Error(`--brokers must be 1 or 3, got "${values.brokers}"`);
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 1024 || port > 65_000) throw new Error(`--port must be a port number, got "${values.port}"`);
      const cluster = await startCluster({ name: requireName(), brokers, basePort: port, runDir });
      console.log(`${cluster.name} ready: bootstrap ${cluster.bootstrap.join(',')} (data and logs in ${cluster.dir})`);
      break;
    }
    case 'stop':
      await openCluster(runDir, requireName()).stop();
      console.log(`${name} stopped`);
      break;
    case 'kill':
      await openCluster(runDir, requireName()).kill();
      console.log(`${name} killed (SIGKILL); 'start' brings it back on the same data`);
      break;
    case 'status': {
      const names = existsSync(runDir) ? readdirSync(runDir).filter((d) => existsSync(join(runDir, d, 'cluster.json'))) : [];
      if (names.length === 0) console.log(`no clusters under ${runDir}`);
      for (const cluster of names.map((n) => openCluster(runDir, n))) {
        console.log(`${cluster.name.padEnd(20)} ${cluster.isRunning() ? 'running' : 'stopped'}  ${cluster.bootstrap.join(',')}`);
      }
      break;
    }
    default:
      console.log('usage: npm run kafka -- <start|stop|kill|status|fetch> [name] [--brokers 1|3] [--port N]');
      process.exitCode = command ? 2 : 0;
  }
} catch (error) {
  console.error(`kafka: ${(error as Error).message}`);
  process.exitCode = 1;
}
