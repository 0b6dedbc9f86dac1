// What the CLI reads besides its arguments: a document piped to standard input (`-`).
import { text } from 'node:stream/consumers';

export function readStandardInput(): Promise<string> {
  return text(process.stdin);
}
