// The worker's client of the management API. The token is read when first needed, not at start:
// under `npm start` the worker comes up before management has written its token file.
import { readFile } from 'node:fs/promises';
import type { AppRouter } from '@flotilla/api';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';

export function createManagementClient(url: string, token: { value?: string | undefined; file: string }): TRPCClient<AppRouter> {
  let cached = token.value;
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url.replace(/\/+$/, '')}/trpc`,
        headers: async () => {
          cached ??= await readFile(token.file, 'utf8').then((text) => text.trim(), () => undefined);
          return cached ? { authorization: `Bearer ${cached}` } : {};
        },
      }),
    ],
  });
}
