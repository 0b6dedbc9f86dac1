// Runs one of Kafka's own command-line tools (a main class from the project's jars) in a fresh
// JVM with a small heap and quiet logging, and returns what it printed. Every bench uses it, each
// with its own limit (filling a gigabyte or watching a throttled reassignment takes long).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClasspath } from '@flotilla/local-kafka';
import { runCommand } from '@flotilla/local-runtime';

export interface JavaToolOptions {
  /** Where the tool's log4j file is written. */
  workDir: string;
  timeoutMs: number;
}

/** Tools print their results on stdout; client warnings go to stderr, INFO chatter nowhere. */
function log4jConfig(dir: string): string {
  const path = join(dir, 'java-tool-log4j.properties');
  writeFileSync(
    path,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return path;
}

export function runKafkaTool(mainClass: string, args: readonly string[], options: JavaToolOptions): Promise<string> {
  return runCommand('java', ['-Xmx512m', `-Dlog4j.configuration=file:${log4jConfig(options.workDir)}`, '-cp', kafkaClasspath(), mainClass, ...args], {
    timeoutMs: options.timeoutMs,
  });
}
