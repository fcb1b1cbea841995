/** URL redaction (the one function every printed URL goes through) and the Prometheus request it protects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../src/cluster/access/redact';
import { directRequest } from '../../src/cluster/access/prometheus';

void test('redactUrl drops user:password@, the query and the fragment, keeps scheme, host, port and path', () => {
  const cases: [string, string][] = [
    ['https://admin:PW@127.0.0.1:6443/', 'https://127.0.0.1:6443'],
    ['https://127.0.0.1:6443/k8s/clusters/c-1/?token=SECRET#frag', 'https://127.0.0.1:6443/k8s/clusters/c-1'],
    ['http://user@prom.local/prometheus?x=1', 'http://prom.local/prometheus'],
    ['https://a:b@c@[::1]:9090/', 'https://[::1]:9090'],
    ['socks5://u:SECRET@proxy:1080', 'socks5://proxy:1080'],
    ['admin:SECRET@host:6443/x?token=SECRET', 'host:6443/x'],
    ['not a url?token=SECRET', 'not a url'],
    ['https://127.0.0.1:1', 'https://127.0.0.1:1'],
  ];
  for (const [input, want] of cases) assert.equal(redactUrl(input), want, input);
});

void test('a Prometheus base URL keeps working: user:password becomes Basic auth, its query is kept, the path appended', () => {
  const r = directRequest(
    'https://admin:p%40ss@prom.local:9090/sub/?token=T',
    'api/v1/query_range',
    'query=up&step=15',
  );
  assert.deepEqual(r, {
    url: 'https://prom.local:9090/sub/api/v1/query_range?token=T&query=up&step=15',
    headers: { Authorization: `Basic ${Buffer.from('admin:p@ss').toString('base64')}` },
  });
  assert.deepEqual(directRequest('http://prom:9090', 'api/v1/query_range', 'q=1'), {
    url: 'http://prom:9090/api/v1/query_range?q=1',
    headers: {},
  });
  assert.equal(directRequest('ftp://prom', 'x', ''), null);
  assert.equal(directRequest('not a url', 'x', ''), null);
});
