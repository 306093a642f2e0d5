import { describe, expect, it } from 'vitest';
import { ConnectRefused, describeMqttError, reasonText, refusedSubscriptions } from './errors.js';

describe('MQTT errors as problems a person can act on', () => {
  it('names a refused subscription with its filter and reason, and what to do', () => {
    const problem = refusedSubscriptions([{ filter: '#', code: 0x87 }], '127.0.0.1:1883');
    expect(problem.reason).toBe('misconfigured');
    expect(problem.message).toContain('refused the subscription to "#" (not authorized (0x87))');
    expect(problem.hint).toMatch(/ACL/);
    const two = refusedSubscriptions(
      [
        { filter: '#', code: 0x80 },
        { filter: '$SYS/#', code: 0x87 },
      ],
      'h:1',
    );
    expect(two.message).toMatch(/subscriptions to "#" \(unspecified error \(0x80\)\), "\$SYS\/#"/);
  });

  it('tells refused credentials, an MQTT 5 refusal, TLS and an unreachable broker apart, without URL credentials', () => {
    const auth = describeMqttError(
      Object.assign(new Error('Connection refused: Not authorized'), { code: 135 }),
      'h:1',
    );
    expect(auth).toMatchObject({ reason: 'auth-failed', message: expect.stringContaining('0x87') });
    expect(describeMqttError(new ConnectRefused(4), 'h:1').reason).toBe('auth-failed');
    expect(describeMqttError(new ConnectRefused(0x84), 'h:1').hint).toMatch(/--mqtt-version 3\.1\.1/);
    expect(new ConnectRefused(1).unsupportedVersion).toBe(true);
    expect(describeMqttError(new Error('self-signed certificate'), 'h:8883').reason).toBe('tls-failed');
    const down = describeMqttError(new Error('connect ECONNREFUSED mqtt://app:s3cret@h:1'), 'h:1');
    expect(down.reason).toBe('unreachable');
    expect(JSON.stringify(down)).not.toContain('s3cret');
    expect(reasonText(0x8e)).toBe('session taken over (0x8e)');
  });
});
