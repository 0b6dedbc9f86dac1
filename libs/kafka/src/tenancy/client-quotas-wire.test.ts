import { describe, expect, it } from 'vitest';
import { alterClientQuotas, describeUserClientQuotas } from './client-quotas-wire';

const str = (s: string): string => Buffer.from(s).toString('hex');
const short = (s: string): string => `${s.length.toString(16).padStart(4, '0')}${str(s)}`;
const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex');

describe('client quota requests (APIs 48 and 49, classic v0)', () => {
  it('encodes AlterClientQuotas: one user entity, set and remove ops, validate_only false', async () => {
    const request = alterClientQuotas([{ user: 'app1', set: { producer_byte_rate: 1_048_576 }, remove: ['consumer_byte_rate'] }]);
    expect(request.request).toMatchObject({ apiKey: 49, apiVersion: 0 });
    const body = (await request.request.encode()).buffer.toString('hex');
    const set = `${short('producer_byte_rate')} 4130000000000000 00`;
    const remove = `${short('consumer_byte_rate')} 0000000000000000 01`;
    expect(body).toBe(`00000001 00000001 ${short('user')} ${short('app1')} 00000002 ${set} ${remove} 00`.replace(/ /g, ''));
  });

  it('decodes per-entity errors of AlterClientQuotas', async () => {
    const raw = hex(`00000000 00000001 002a ${short('bad key')} 00000001 ${short('user')} ${short('app1')}`);
    expect((await alterClientQuotas([]).response.decode(raw)).entries).toEqual([{ errorCode: 42, errorMessage: 'bad key', user: 'app1' }]);
  });

  it('describes every named user strictly, and decodes the values of each', async () => {
    expect((await describeUserClientQuotas().request.encode()).buffer.toString('hex')).toBe(`00000001 ${short('user')} 02 ffff 01`.replace(/ /g, ''));
    const raw = hex(`00000000 0000 ffff 00000001 00000001 ${short('user')} ${short('app1')} 00000001 ${short('request_percentage')} 4049000000000000`);
    expect(await describeUserClientQuotas().response.decode(raw)).toMatchObject({ errorCode: 0, entries: [{ user: 'app1', values: { request_percentage: 50 } }] });
  });
});
