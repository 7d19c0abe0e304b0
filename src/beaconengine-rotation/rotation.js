// BeaconEngine rotating identities (scheme "hmac-sha256-v1"), as docs/rotating-identities.md describes them.
// Web Crypto only (browsers, React Native with a Web Crypto polyfill, Node 18+), no dependencies.

const LABEL = new TextEncoder().encode('BE-ROT-1');

/** Whole periods since the Unix epoch for a time (Date or Unix milliseconds). */
export function periodOf(at, periodSeconds = 600) {
  const ms = at instanceof Date ? at.getTime() : at;
  return Math.floor(ms / (periodSeconds * 1000));
}

/** The start and end of a period, as Dates. */
export function periodBounds(period, periodSeconds = 600) {
  return { validFrom: new Date(period * periodSeconds * 1000), validUntil: new Date((period + 1) * periodSeconds * 1000) };
}

function hexToBytes(hex) {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.substr(i * 2, 2), 16);
  return bytes;
}

/**
 * The identity for one period: { major, minor, eid } (eid: 16 hex digits, the Eddystone-EID).
 * secretHex: the enrolment's rotation.secret; uuid: the advertisement's uuid; period: periodOf(...).
 */
export async function deriveIdentity(secretHex, uuid, period) {
  const message = new Uint8Array(8 + 16 + 8);
  message.set(LABEL, 0);
  message.set(hexToBytes(uuid), 8);
  new DataView(message.buffer).setBigInt64(24, BigInt(period), false);
  const key = await crypto.subtle.importKey('raw', hexToBytes(secretHex), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const h = new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  const v = new DataView(h.buffer).getUint32(0, false);
  return {
    major: 0x8000 + ((v >>> 16) % 0x7fff),
    minor: 1 + ((v & 0xffff) % 0xffff),
    eid: Array.from(h.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(''),
  };
}

/** The identity to broadcast at a moment, with its validity, like GET /api/v1/me/advertisement?at=. */
export async function advertisementAt(rotation, uuid, at = Date.now()) {
  const period = periodOf(at, rotation.periodSeconds);
  const { major, minor, eid } = await deriveIdentity(rotation.secret, uuid, period);
  return { uuid, major, minor, eid, ...periodBounds(period, rotation.periodSeconds) };
}
