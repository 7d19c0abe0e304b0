// Batches what ranging gives (about one reading per beacon per second) into at most one report a second:
// a radio that wakes once a second instead of once per reading, and a server that is not asked more often
// than its per-shopper limit allows.

/** The most readings one report carries; the oldest give way first (they are the least useful). */
export const MAX_PENDING_READINGS = 500;

/**
 * Turns a reading as an app has it into the report's item, or null for one that is no evidence.
 * Takes the wire shape `{ ts, rssi, ibeacon: { uuid, major, minor }, accuracy? }` or a flat one as
 * iOS's CLBeacon and Android scanners give it: `{ uuid, major, minor, rssi, accuracy?, timestamp? }`.
 */
export function toSighting(reading, now = Date.now()) {
  if (reading === null || typeof reading !== "object") {
    throw new TypeError("a reading must be an object { uuid, major, minor, rssi } or { ts, rssi, ibeacon }");
  }

  const ibeacon = reading.ibeacon ?? { uuid: reading.uuid ?? reading.proximityUUID, major: reading.major, minor: reading.minor };
  const rssi = reading.rssi;

  // iOS reports 0 for a beacon it could not measure in that second: not evidence, not worth sending.
  if (typeof rssi !== "number" || rssi === 0) {
    return null;
  }

  const at = reading.ts ?? reading.timestamp ?? now;
  const sighting = {
    ts: at instanceof Date ? at.getTime() : at,
    rssi,
    ibeacon: { uuid: String(ibeacon.uuid).toLowerCase(), major: Number(ibeacon.major), minor: Number(ibeacon.minor) },
  };
  if (typeof reading.accuracy === "number" && reading.accuracy >= 0) {
    sighting.accuracy = reading.accuracy;
  }

  return sighting;
}

/**
 * Collects readings and region events and sends them in one report at most every `intervalMs`.
 * `send(report)` delivers `{ sightings, region? }` and resolves with the server's receipt.
 */
export class SightingBatcher {
  #send;
  #intervalMs;
  #now;
  #setTimer;
  #clearTimer;
  #pending = [];
  #region = null;
  #waiters = [];
  #timer = null;
  #inFlight = null;
  #lastSentAt = -Infinity;

  constructor(send, { intervalMs = 1000, now = () => Date.now(), setTimer = setTimeout, clearTimer = clearTimeout } = {}) {
    if (typeof send !== "function") {
      throw new TypeError("send must be a function(report) returning a promise");
    }

    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#now = now;
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
  }

  /** Readings waiting for the next report. */
  get pending() {
    return this.#pending.length;
  }

  /** Adds readings; resolves with the receipt of the report that carried them (null when none was evidence). */
  add(readings) {
    const list = Array.isArray(readings) ? readings : [readings];
    const now = this.#now();
    for (const reading of list) {
      const sighting = toSighting(reading, now);
      if (sighting !== null) {
        this.#pending.push(sighting);
      }
    }

    if (this.#pending.length > MAX_PENDING_READINGS) {
      this.#pending.splice(0, this.#pending.length - MAX_PENDING_READINGS);
    }

    if (this.#pending.length === 0 && this.#region === null) {
      return Promise.resolve(null);
    }

    return this.#enqueue();
  }

  /** A region enter or exit; it goes with the next report (an exit takes the shopper out of the store at once). */
  region(event, ts = this.#now()) {
    if (event !== "enter" && event !== "exit") {
      throw new TypeError('a region event is "enter" or "exit"');
    }

    this.#region = { event, ts: ts instanceof Date ? ts.getTime() : ts };
    return this.#enqueue();
  }

  /** Sends whatever is waiting now if the interval allows, else at the next slot; resolves when it is sent. */
  flush() {
    return this.#pending.length === 0 && this.#region === null ? Promise.resolve(null) : this.#enqueue();
  }

  /** Stops the timer; what is waiting is dropped and its promises rejected. */
  close() {
    if (this.#timer !== null) {
      this.#clearTimer(this.#timer);
      this.#timer = null;
    }

    const waiters = this.#waiters.splice(0);
    this.#pending = [];
    this.#region = null;
    for (const w of waiters) {
      w.reject(new Error("the client was closed before the readings were sent"));
    }
  }

  #enqueue() {
    const promise = new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#schedule();
    return promise;
  }

  #schedule() {
    if (this.#timer !== null || this.#inFlight !== null) {
      return;
    }

    // Readings added in the same turn share a report; then at most one report per interval.
    const wait = Math.max(0, this.#lastSentAt + this.#intervalMs - this.#now());
    this.#timer = this.#setTimer(() => {
      this.#timer = null;
      this.#sendNow();
    }, wait);
  }

  async #sendNow() {
    if (this.#pending.length === 0 && this.#region === null) {
      return;
    }

    const report = { sightings: this.#pending };
    if (this.#region !== null) {
      report.region = this.#region;
    }

    this.#pending = [];
    this.#region = null;
    const waiters = this.#waiters.splice(0);
    this.#lastSentAt = this.#now();
    this.#inFlight = (async () => {
      try {
        const receipt = await this.#send(report);
        for (const w of waiters) {
          w.resolve(receipt);
        }
      } catch (error) {
        for (const w of waiters) {
          w.reject(error);
        }
      }
    })();
    await this.#inFlight;
    this.#inFlight = null;
    if (this.#waiters.length > 0) {
      this.#schedule();
    }
  }
}
