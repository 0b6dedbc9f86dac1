// What the global setup started, as test files see it through vitest's `inject`.
import { inject } from 'vitest';
import { openCluster, type KafkaCluster } from '@flotilla/local-kafka';

export interface TestClusterInfo {
  name: string;
  role: 'fronting' | 'consumer';
  /** The PLAINTEXT listener: the platform's clients, as User:ANONYMOUS. */
  bootstrap: string[];
  /** The CLIENT listener: SASL/SCRAM-SHA-512, an application's credential. */
  saslBootstrap: string[];
}

export interface TestPlatform {
  runDir: string;
  /** Added to every `npm start` port; a file that starts extra clusters uses it too. */
  portOffset: number;
  clusters: TestClusterInfo[];
  temporal: { address: string; namespace: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    platform: TestPlatform;
  }
}

export function testPlatform(): TestPlatform {
  return inject('platform');
}

export function testCluster(name: string): TestClusterInfo & { control: KafkaCluster } {
  const platform = testPlatform();
  const info = platform.clusters.find((c) => c.name === name);
  if (!info) throw new Error(`the test platform has no cluster "${name}"`);
  return { ...info, control: openCluster(platform.runDir, name) };
}

/** A fresh, unique name per test so tests never see each other's topics or groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
