// Rotating shopper identities (scheme "hmac-sha256-v1"), step by step as docs/rotating-identities.md describes
// them: in a rotating store the phone broadcasts a new iBeacon major and minor every period, derived from the
// rotation secret the app received once at enrolment. Web Crypto only (browsers, Node 18+, React Native with a
// Web Crypto polyfill); the server derives the same identities (test/rotation.test.js checks the documented vectors).

const LABEL = new TextEncoder().encode("BE-ROT-1");

/** The scheme this module implements; enrolment's `rotation.scheme` names it. */
export const ROTATION_SCHEME = "hmac-sha256-v1";

/** Ten minutes, the server's default period. */
export const DEFAULT_PERIOD_SECONDS = 600;

/** Whole periods since the Unix epoch for a time (Date or Unix milliseconds). */
export function periodOf(at, periodSeconds = DEFAULT_PERIOD_SECONDS) {
  const ms = at instanceof Date ? at.getTime() : at;
  return Math.floor(ms / (periodSeconds * 1000));
}

/** The start and end of a period, as Dates. */
export function periodBounds(period, periodSeconds = DEFAULT_PERIOD_SECONDS) {
  return { validFrom: new Date(period * periodSeconds * 1000), validUntil: new Date((period + 1) * periodSeconds * 1000) };
}

function hexToBytes(hex, what, length) {
  const clean = String(hex).replace(/-/g, "");
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length !== length * 2) {
    throw new TypeError(`${what} must be ${length} bytes of hex; it is "${hex}"`);
  }

  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = parseInt(clean.substr(i * 2, 2), 16);
  return bytes;
}

/**
 * The identity for one period: `{ major, minor, eid }` (`eid`: 16 hex digits, the Eddystone-EID).
 * `secretHex`: the enrolment's `rotation.secret`; `uuid`: the advertisement's `uuid`; `period`: `periodOf(...)`.
 */
export async function deriveIdentity(secretHex, uuid, period) {
  const message = new Uint8Array(8 + 16 + 8);
  message.set(LABEL, 0);
  message.set(hexToBytes(uuid, "uuid", 16), 8);
  new DataView(message.buffer).setBigInt64(24, BigInt(period), false);
  const key = await crypto.subtle.importKey("raw", hexToBytes(secretHex, "secret", 16), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const h = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  const v = new DataView(h.buffer).getUint32(0, false);
  return {
    major: 0x8000 + ((v >>> 16) % 0x7fff),
    minor: 1 + ((v & 0xffff) % 0xffff),
    eid: Array.from(h.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(""),
  };
}

/**
 * The identity to broadcast at a moment, with its validity, as `GET /api/v1/me/advertisement?at=` gives it:
 * `{ uuid, major, minor, eid, validFrom, validUntil }`. `rotation`: the enrolment's `rotation` object.
 */
export async function advertisementAt(rotation, uuid, at = Date.now()) {
  const periodSeconds = rotation.periodSeconds ?? DEFAULT_PERIOD_SECONDS;
  const period = periodOf(at, periodSeconds);
  const { major, minor, eid } = await deriveIdentity(rotation.secret, uuid, period);
  return { uuid, major, minor, eid, ...periodBounds(period, periodSeconds) };
}
