// What a request sees when PostgreSQL is not there: the driver's own errors (a real pg client
// connecting to a port where nothing listens) become UnavailableError with a message that says so.
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { toFlotillaError } from './database-error';
import { freePort } from '@flotilla/local-runtime';

describe('toFlotillaError', () => {
  it('turns a refused connection into a retryable UnavailableError naming the address', async () => {
    const port = await freePort();
    const pool = new Pool({ connectionString: `postgres://flotilla:x@127.0.0.1:${port}/flotilla` });
    const thrown = await pool.query('select 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    await pool.end();

    const error = toFlotillaError(thrown);

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(error.message).toBe(`the database is not answering (connect ECONNREFUSED 127.0.0.1:${port}): the registry cannot be read or changed until it is back`);
  });

  it('treats a connection the server dropped as not answering, a serialization conflict as worth a retry, a bad query as internal', () => {
    const dropped = toFlotillaError(new Error('Connection terminated unexpectedly'));
    const shutdown = toFlotillaError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    const conflict = toFlotillaError(Object.assign(new Error('could not serialize access'), { code: '40001' }));
    const syntax = toFlotillaError(Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' }));

    expect(dropped.message).toBe('the database is not answering (Connection terminated unexpectedly): the registry cannot be read or changed until it is back');
    expect(shutdown.code).toBe('UNAVAILABLE');
    expect(conflict).toMatchObject({ code: 'UNAVAILABLE', message: 'database unavailable: could not serialize access' });
    expect(syntax).toMatchObject({ code: 'INTERNAL', retryable: false });
  });
});
