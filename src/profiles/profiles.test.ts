import { describe, expect, it } from 'vitest';
import { createDecider, decide, decideProfiles } from '../decision/decide.js';
import { PROFILE_NAMES, type ProfileName } from '../decision/types.js';
import { FLASH_STEPS } from '../flash/steps.js';
import { SILVERLIGHT_STEPS } from '../silverlight/steps.js';
import { flashStepsOf, PROFILES, profileFamily, profileOverrides, profilesOf, silverlightStepsOf, withoutOverride } from './index.js';

const socketWorld = { 'xmlsocket://b.com:843': { body: '<cross-domain-policy><allow-access-from domain="a.com" to-ports="5000"/></cross-domain-policy>\0' } };

describe('client profiles: the registry', () => {
  it('has one definition per profile name, under its own name, each with a family', () => {
    expect(Object.keys(PROFILES).sort()).toEqual([...PROFILE_NAMES].sort());
    for (const name of PROFILE_NAMES) {
      expect(PROFILES[name].name).toBe(name);
      expect(['flash', 'silverlight']).toContain(profileFamily(name));
    }
  });

  it('PROF-1: the references override nothing: their step tables are the reference tables themselves', () => {
    expect(profileOverrides('flash')).toEqual([]);
    expect(profileOverrides('silverlight')).toEqual([]);
    expect(flashStepsOf('flash')).toBe(FLASH_STEPS);
    expect(silverlightStepsOf('silverlight')).toBe(SILVERLIGHT_STEPS);
    expect(profilesOf('flash')[0]).toBe('flash');
    expect(profilesOf('silverlight')[0]).toBe('silverlight');
  });

  it('PROF-1: every override is tagged with a chapter-9 record, the requirements it departs from and a source', () => {
    for (const name of PROFILE_NAMES) {
      for (const o of profileOverrides(name)) {
        expect(o.tag.record, `${name}.${o.step}`).toMatch(/^(flash|silverlight)\/9#[A-Za-z0-9.-]+$/);
        expect(o.tag.departsFrom.length, `${name}.${o.step}`).toBeGreaterThan(0);
        expect(o.tag.does.length, `${name}.${o.step}`).toBeGreaterThan(10);
        expect(o.tag.source, `${name}.${o.step}`).toMatch(/:\d|UNVERIFIED|§|›|p\. \d/);
      }
    }
  });

  it('a profile names an unknown step only by mistake: withoutOverride refuses it', () => {
    expect(() => withoutOverride('flash', 'framing')).toThrow(/does not override/);
  });
});

describe('client profiles: the decision', () => {
  it('decide follows the profile named and reports it', () => {
    for (const client of PROFILE_NAMES) {
      const d = decide({ client, origin: 'http://a.com/m.swf', target: 'socket://b.com:5000' }, socketWorld);
      expect(d.client).toBe(client);
    }
    expect(decide({ client: 'flash', origin: 'http://a.com/m.swf', target: 'socket://b.com:5000' }, socketWorld).decision).toBe('allow');
  });

  it('an unknown profile is denied naming every known one', () => {
    const d = decide({ client: 'netscape' as ProfileName, origin: 'http://a.com/m.swf', target: 'socket://b.com:5000' }, socketWorld);
    expect(d.decision).toBe('deny');
    expect(d.reason).toContain(PROFILE_NAMES.join(', '));
  });

  it('decideProfiles decides under each profile asked, in order, over one world', () => {
    const all = decideProfiles({ origin: 'http://a.com/m.swf', target: 'socket://b.com:5000' }, socketWorld);
    expect(Object.keys(all)).toEqual([...PROFILE_NAMES]);
    expect(all.flash?.decision).toBe('allow');
    // Silverlight's sockets reach only 4502-4534.
    expect(all.silverlight?.decision).toBe('deny');
    const two = decideProfiles({ origin: 'http://a.com/m.swf', target: 'socket://b.com:5000' }, socketWorld, ['silverlight', 'flash']);
    expect(Object.keys(two)).toEqual(['silverlight', 'flash']);
  });

  it('a decider takes another registry (a profile with an override taken out decides with the reference step)', () => {
    const registry = { ...PROFILES, lightspark: { ...PROFILES.lightspark, overrides: { sameOrigin: { run: () => true, tag: { record: 'flash/9#test', departsFrom: ['FLASH-URL-2' as const], does: 'every load is same-origin (test only)', source: 'test:1' } } } } };
    const request = { client: 'lightspark' as const, origin: 'http://a.com/m.swf', target: 'http://b.com/data.xml' };
    expect(createDecider({}, { profiles: registry }).decide(request).decision).toBe('allow');
    expect(createDecider({}, { profiles: withoutOverride('lightspark', 'sameOrigin', registry) }).decide(request).decision).toBe('deny');
    expect(createDecider({}).decide(request).decision).toBe('deny');
  });
});
