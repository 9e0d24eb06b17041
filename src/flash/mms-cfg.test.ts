import { describe, expect, it } from 'vitest';
import { parseMmsCfg } from './mms-cfg.js';

const codes = (text: string | Uint8Array): string[] => parseMmsCfg(text).diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}`);

describe('CLIENT-7: reading mms.cfg', () => {
  it('reads DisableSockets and EnableSocketsTo from name = value lines, with or without spaces, any line ending', () => {
    const text = '# Flash Player settings\r\n\r\nDisableSockets = 1\r\nEnableSocketsTo=game.example.com\rEnableSocketsTo\t=\t192.0.2.10  \n  # indented comment\n';
    expect(parseMmsCfg(text)).toEqual({ flash: { disableSockets: true, enableSocketsTo: ['game.example.com', '192.0.2.10'] }, diagnostics: [] });
    expect(parseMmsCfg('DisableSockets=0\n').flash).toEqual({ disableSockets: false, enableSocketsTo: [] });
    expect(parseMmsCfg('').flash).toEqual({ disableSockets: false, enableSocketsTo: [] });
  });

  it('CLIENT-6 reads EnableSocketsTo hosts as the URL host parser does', () => {
    expect(parseMmsCfg('DisableSockets = 1\nEnableSocketsTo = LocalHost\nEnableSocketsTo = 127.1\nEnableSocketsTo = ::1\n').flash?.enableSocketsTo).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it('takes UTF-8, skipping a byte order mark, and refuses UTF-16 and bytes that are not UTF-8', () => {
    const utf8 = new TextEncoder().encode('\uFEFFDisableSockets = 1\n');
    expect(parseMmsCfg(utf8).flash?.disableSockets).toBe(true);
    expect(parseMmsCfg('\uFEFFDisableSockets = 1').flash?.disableSockets).toBe(true);
    expect(codes(new Uint8Array([0xff, 0xfe, 0x44, 0x00]))).toEqual(['error not-utf8 1']);
    expect(codes(new Uint8Array([0x44, 0xc3, 0x28]))).toEqual(['error not-utf8 1']);
    expect(codes('AutoUpdateDisable = 1\nDisable\u0000Sockets = 1')).toEqual(['error not-utf8 2']);
  });

  it('is exact about the two settings it applies: bad values, other spellings, repeats and non-settings are errors', () => {
    expect(codes('DisableSockets = yes')).toEqual(['error invalid-value 1']);
    expect(codes('DisableSockets = 1 # off')).toEqual(['error invalid-value 1']);
    expect(codes('disablesockets = 1')).toEqual(['error setting-name-case 1']);
    expect(codes('DISABLESOCKETS = 1')).toEqual(['error setting-name-case 1']);
    expect(codes('DisableSockets = 1\nDisableSockets = 0')).toEqual(['error duplicate-setting 2']);
    expect(codes('DisableSockets = 1\nEnableSocketsTo =')).toEqual(['error invalid-host 2']);
    expect(codes('DisableSockets = 1\nEnableSocketsTo = a b')).toEqual(['error invalid-host 2']);
    expect(codes('DisableSockets 1')).toEqual(['error not-a-setting 1']);
    expect(codes('= 1')).toEqual(['error not-a-setting 1']);
    expect(parseMmsCfg('DisableSockets = 2').flash).toBeNull();
    const d = parseMmsCfg('DisableSockets = 2').diagnostics[0];
    expect(d).toMatchObject({ line: 1, requirement: 'CLIENT-5' });
    expect(d?.message).toBe('line 1: DisableSockets = 2: the value must be 0 (sockets enabled) or 1 (sockets disabled)');
  });

  it('is lenient about the rest of a real file: every other setting is a warning, none is applied', () => {
    const r = parseMmsCfg('AutoUpdateDisable=1\nFileDownloadDisable = 1\nEnableAllowList = 1\nDisableNetworkAndFilesystemInHostApp = excel.exe\nDisableSockets = 1\n');
    expect(r.flash).toEqual({ disableSockets: true, enableSocketsTo: [] });
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line} ${d.value}`)).toEqual([
      'warning not-read 1 AutoUpdateDisable',
      'warning not-modelled 2 FileDownloadDisable',
      'warning not-modelled 3 EnableAllowList',
      'warning not-modelled 4 DisableNetworkAndFilesystemInHostApp',
    ]);
    expect(r.diagnostics[3]?.message).toContain('host application');
  });

  it('CLIENT-6 says that EnableSocketsTo has no effect without DisableSockets = 1', () => {
    expect(codes('EnableSocketsTo = a.example')).toEqual(['warning no-effect 1']);
    expect(codes('DisableSockets = 0\nEnableSocketsTo = a.example')).toEqual(['warning no-effect 2']);
    expect(parseMmsCfg('EnableSocketsTo = a.example').flash).toEqual({ disableSockets: false, enableSocketsTo: ['a.example'] });
  });

  it('reads Gentoo\'s shipped mms.cfg layout: comments, commented-out settings and spaced assignments', () => {
    const gentoo = ['#', '# /etc/adobe/mms.cfg: Adobe Flash privacy and security settings', '#', '#DisableSockets = 0', '#EnableSocketsTo = localhost.localdomain', 'AutoUpdateDisable = 1', ''].join('\n');
    expect(parseMmsCfg(gentoo)).toMatchObject({ flash: { disableSockets: false, enableSocketsTo: [] } });
    expect(codes(gentoo)).toEqual(['warning not-read 6']);
  });
});
