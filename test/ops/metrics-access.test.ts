// Who may read /metrics (src/ops/endpoint.ts): with METRICS_TOKEN, whoever sends it; without, this
// machine and private networks only, and nothing relayed by a proxy.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, metricsAccess } from '../../src/ops/endpoint.js';

const request = (remoteAddress: string | undefined, headers: Record<string, string> = {}) => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('/metrics without METRICS_TOKEN', () => {
  const access = metricsAccess(undefined);

  it('answers this machine and private networks (a Prometheus in the same compose network), over IPv4 and IPv6', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.1.2.3', '172.16.0.5', '172.31.255.1', '192.168.1.20', '::ffff:172.18.0.3', 'fd12:3456::1', 'fc00::7']) {
      expect(isPrivateAddress(a), a).toBe(true);
      expect(access(request(a)), a).toEqual({ ok: true });
    }
  });

  it('refuses public addresses with 403 and a reason naming METRICS_TOKEN', () => {
    for (const a of ['203.0.113.9', '8.8.8.8', '172.32.0.1', '172.15.0.1', '192.169.0.1', '11.0.0.1', '2001:db8::1', 'fe80::1', '::ffff:8.8.8.8', undefined]) {
      expect(isPrivateAddress(a), String(a)).toBe(false);
      expect(access(request(a)), String(a)).toEqual({ ok: false, status: 403, error: expect.stringContaining('METRICS_TOKEN') });
    }
  });

  it('refuses a request relayed by a proxy on this machine (X-Forwarded-For, Forwarded or X-Real-IP), whoever sent it', () => {
    for (const h of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      expect(access(request('127.0.0.1', { [h]: '10.0.0.2' })), h).toMatchObject({ ok: false, status: 403 });
    }
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const token = 'a-metrics-token-of-some-length-0123';
  const access = metricsAccess(token);

  it('answers whoever sends it as a bearer token, through a proxy or not, and nobody else, loopback included', () => {
    expect(access(request('203.0.113.9', { authorization: `Bearer ${token}`, 'x-forwarded-for': '198.51.100.1' }))).toEqual({ ok: true });
    for (const auth of [undefined, '', `Bearer ${token}x`, token, `Basic ${token}`, 'Bearer ']) {
      const headers: Record<string, string> = auth === undefined ? {} : { authorization: auth };
      expect(access(request('127.0.0.1', headers)), String(auth)).toEqual({ ok: false, status: 401, error: expect.stringContaining('Bearer') });
    }
  });
});
