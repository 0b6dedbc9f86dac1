import { describe, expect, it } from 'vitest';
import { alterUserScramCredentials, describeUserScramCredentials } from './scram-credentials-wire';

const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex');
const str = (s: string): string => Buffer.from(s).toString('hex');

describe('SCRAM credential requests (APIs 50 and 51, flexible v0)', () => {
  it('encodes AlterUserScramCredentials: header TAG_BUFFER, deletions, upsertions with compact bytes, TAG_BUFFER', async () => {
    const request = alterUserScramCredentials(['old'], [{ user: 'app1', iterations: 4096, salt: hex('aabb'), saltedPassword: hex('010203') }]);
    expect(request.request).toMatchObject({ apiKey: 51, apiVersion: 0 });
    const body = (await request.request.encode()).buffer.toString('hex');
    expect(body).toBe(`00 02 04${str('old')} 02 00 02 05${str('app1')} 02 00001000 03aabb 04010203 00 00`.replace(/ /g, ''));
  });

  it('decodes each user result of AlterUserScramCredentials', async () => {
    // header TAG_BUFFER, throttle 0, 2 results: ("a", 0, null), ("b", 93, "too few"), TAG_BUFFER
    const raw = hex(`00 00000000 03 02${str('a')} 0000 00 00 02${str('b')} 005d 08${str('too few')} 00 00`);
    expect((await alterUserScramCredentials([], []).response.decode(raw)).results).toEqual([
      { user: 'a', errorCode: 0, errorMessage: null },
      { user: 'b', errorCode: 93, errorMessage: 'too few' },
    ]);
  });

  it('asks for every user with a null array, and decodes credential infos', async () => {
    expect((await describeUserScramCredentials(null).request.encode()).buffer.toString('hex')).toBe('000000');
    expect((await describeUserScramCredentials(['u']).request.encode()).buffer.toString('hex')).toBe(`00 02 02${str('u')} 00 00`.replace(/ /g, ''));
    // header tags, throttle, error 0, null message, 1 result ("u", 0, null, [(2, 8192)]), tags
    const raw = hex(`00 00000000 0000 00 02 02${str('u')} 0000 00 02 02 00002000 00 00 00`);
    expect(await describeUserScramCredentials(['u']).response.decode(raw)).toMatchObject({
      errorCode: 0,
      results: [{ user: 'u', errorCode: 0, credentials: [{ mechanism: 2, iterations: 8192 }] }],
    });
  });
});
