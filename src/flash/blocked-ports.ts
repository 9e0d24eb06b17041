/**
 * Flash Player's blocked ports (FLASH-URL-14): the one list, as Adobe publishes it, and the test
 * every URL request of the `flash` profile goes through before any policy is asked for.
 *
 * Source: *ActionScript 3.0 Developer's Guide*, "Restricting networking APIs" › "Blocked ports"
 * (https://help.adobe.com/en_US/as3/dev/WS1EFE2EDA-026D-4d14-864E-79DFD56F87C6.html). Adobe gives
 * two lists: ports blocked for HTTP only (FTP's own ports) and ports blocked for HTTP and FTP.
 *
 * @module
 */

/** A URL scheme a blocked-port list applies to. */
export type BlockedPortScheme = 'http' | 'https' | 'ftp';

// FLASH-URL-14
/**
 * The ports Flash Player refuses for URL requests, whatever any policy says:
 * - `httpOnly`: 20 (ftp-data) and 21 (ftp), blocked for HTTP;
 * - `httpAndFtp`: the 56 ports blocked for HTTP and FTP.
 *
 * HTTPS is treated as HTTP: Adobe's list names no HTTPS list (UNVERIFIED), and the reference fails
 * closed (spec/flash/8-url-policies.md).
 */
export const FLASH_BLOCKED_PORTS = {
  httpOnly: [20, 21],
  httpAndFtp: [
    1, 7, 9, 11, 13, 15, 17, 19, 22, 23, 25, 37, 42, 43, 53, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 139, 143, 179, 389, 465, 512, 513,
    514, 515, 526, 530, 531, 532, 540, 556, 563, 587, 601, 636, 993, 995, 2049, 4045, 6000,
  ],
} as const satisfies Readonly<Record<'httpOnly' | 'httpAndFtp', readonly number[]>>;

const HTTP_BLOCKED = new Set<number>([...FLASH_BLOCKED_PORTS.httpOnly, ...FLASH_BLOCKED_PORTS.httpAndFtp]);
const FTP_BLOCKED = new Set<number>(FLASH_BLOCKED_PORTS.httpAndFtp);

// FLASH-URL-14
/** Whether Flash Player refuses a URL request with this scheme to this port (HTTPS read as HTTP). */
export function flashBlocksPort(scheme: BlockedPortScheme, port: number): boolean {
  return scheme === 'ftp' ? FTP_BLOCKED.has(port) : HTTP_BLOCKED.has(port);
}
