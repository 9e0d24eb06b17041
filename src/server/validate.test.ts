import { describe, expect, it } from 'vitest';
import { checkFlashPolicy, checkSilverlightPolicy } from './validate.js';

const flash = (body: string): string => `<?xml version="1.0"?>\n<cross-domain-policy>\n${body}\n</cross-domain-policy>\n`;

describe('SRV-VALID-1: the server validates what the client will read (the effective policy)', () => {
  it('SRV-HTTP-2: the meta-policy is the one the file declares, as the client reads it; grants that never apply draw no warning', () => {
    const c = checkFlashPolicy(flash('  <site-control permitted-cross-domain-policies="none"/>\n  <allow-access-from domain="*"/>'), { kind: 'url', scheme: 'http', master: true });
    expect(c.ok).toBe(true);
    expect(c.metaPolicy).toBe('none');
    expect(c.warnings.map((w) => w.id)).not.toContain('LINT-DOMAIN-ANY');
    // Without a site-control, the file declares none (the HTTP listener then sends the URL default).
    expect(checkFlashPolicy(flash('  <allow-access-from domain="a.example"/>'), { kind: 'url', scheme: 'http', master: true }).metaPolicy).toBeNull();
  });

  it('FLASH-SOCK-7: a socket policy served from a high port is linted with its ports cut', () => {
    const c = checkFlashPolicy(flash('  <allow-access-from domain="*" to-ports="22"/>'), { kind: 'socket', master: false }, 8843);
    expect(c.ok).toBe(true);
    expect(c.warnings.map((w) => w.id)).not.toContain('LINT-PORT-SERVICE');
  });

  it('the text is the policy, not a wire answer: a NUL in it is an error (the server adds the one NUL itself, SRV-FRAME-6)', () => {
    const c = checkFlashPolicy(`${flash('  <allow-access-from domain="a.example" to-ports="9100"/>')}\u0000`, { kind: 'socket', master: true }, 843);
    expect(c.ok).toBe(false);
    expect(c.errors[0]?.requirement).toBe('FLASH-XML-6');
  });

  it('SL-GRAM-9: a Silverlight grant that never applies draws no high warning', () => {
    const c = checkSilverlightPolicy('<access-policy><cross-domain-access><policy><allow-from><domain uri="*"/></allow-from><grant-to></grant-to></policy></cross-domain-access></access-policy>', { kind: 'url' });
    expect(c.ok).toBe(true);
    expect(c.warnings.map((w) => w.id)).not.toContain('LINT-SL-DOMAIN-ANY');
  });
});
