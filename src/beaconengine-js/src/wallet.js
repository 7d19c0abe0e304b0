// The app's local copy of the shopper's coupons, so the wallet shows at once (and offline) and a coupon the
// server sends again is recognised. Kept in a storage the app provides: window.localStorage, React Native's
// AsyncStorage, Capacitor Preferences (anything with getItem / setItem, synchronous or not).

/** A storage that lives as long as the process; the default when the app gives none. */
export class MemoryStorage {
  #items = new Map();

  getItem(key) {
    return this.#items.has(key) ? this.#items.get(key) : null;
  }

  setItem(key, value) {
    this.#items.set(key, String(value));
  }

  removeItem(key) {
    this.#items.delete(key);
  }
}

/** Statuses a coupon can have in the wallet: as the server says, plus what this phone already told it. */
const LIVE = new Set(["issued", "delivered"]);

export class WalletCache {
  #storage;
  #key;
  #coupons = new Map();
  #loaded = false;

  constructor(storage = new MemoryStorage(), key = "beaconengine.wallet") {
    this.#storage = storage;
    this.#key = key;
  }

  async load() {
    if (this.#loaded) {
      return;
    }

    const text = await this.#storage.getItem(this.#key);
    if (text) {
      try {
        for (const coupon of JSON.parse(text)) {
          this.#coupons.set(coupon.couponId, coupon);
        }
      } catch {
        // A damaged copy is only a cache: the server's wallet refills it.
      }
    }

    this.#loaded = true;
  }

  get(couponId) {
    return this.#coupons.get(couponId);
  }

  /** Coupons the shopper can still use, newest first. */
  live(now = Date.now()) {
    return [...this.#coupons.values()]
      .filter((c) => LIVE.has(c.status) && Date.parse(c.expiresAt) > now)
      .sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt));
  }

  /** Adds or updates a coupon as the server sent it; a status this phone already moved on is kept. */
  async put(coupon) {
    const known = this.#coupons.get(coupon.couponId);
    const status = known && known.status !== "issued" ? known.status : coupon.status ?? "issued";
    this.#coupons.set(coupon.couponId, { ...known, ...coupon, status });
    await this.#save();
  }

  async setStatus(couponId, status) {
    const known = this.#coupons.get(couponId);
    if (known) {
      this.#coupons.set(couponId, { ...known, status });
      await this.#save();
    }
  }

  /** Replaces the cache with the server's wallet (its live coupons); closed ones are forgotten. */
  async replace(coupons) {
    this.#coupons = new Map(coupons.map((c) => [c.couponId, c]));
    await this.#save();
  }

  async #save() {
    // Closed and expired coupons are not kept: the cache stays the size of the live wallet.
    const now = Date.now();
    const kept = [...this.#coupons.values()].filter((c) => LIVE.has(c.status) && Date.parse(c.expiresAt) > now);
    await this.#storage.setItem(this.#key, JSON.stringify(kept));
  }
}
