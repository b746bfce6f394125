import { GopyHarness } from './utils/gopy-harness';
import { testConfig } from './utils/test-env';

describe('request logging', () => {
  let gopy: GopyHarness;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig({ LOG_LEVEL: 'info' }));
    await gopy.startApi(true);
  });

  afterAll(() => gopy.stop());

  it('gives every response a request id, echoing a well-formed one', async () => {
    const given = await fetch(`${gopy.baseUrl}/api/v1/topics`, { headers: { 'x-request-id': 'yeu-cau-123' } });
    expect(given.headers.get('x-request-id')).toBe('yeu-cau-123');
    const made = await fetch(`${gopy.baseUrl}/api/v1/topics`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
