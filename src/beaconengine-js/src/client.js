import { HubConnectionBuilder, HubConnectionState, HttpTransportType, LogLevel } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { SightingBatcher } from "./batcher.js";
import { MemoryStorage, WalletCache } from "./wallet.js";

/** A problem the server answered with (RFC 7807): its status and the detail that says what to fix. */
export class BeaconEngineError extends Error {
  constructor(status, detail, title = undefined) {
    super(detail);
    this.name = "BeaconEngineError";
    this.status = status;
    this.title = title;
  }
}

/** Waits between reconnection attempts: at once, then backing off to 30 s, for as long as it takes. */
export const DEFAULT_RECONNECT_DELAYS_MS = [0, 1000, 2000, 5000, 10000, 30000];

const HUB_PATH = "/hubs/shopper";

/**
 * One shopper's connection to BeaconEngine. Coupons arrive over the shopper hub (MessagePack by default) and are
 * kept in a local wallet; the store beacons the phone ranges are reported in batches of at most one a second.
 */
export class BeaconEngineClient {
  #baseUrl;
  #token;
  #protocol;
  #fetch;
  #reconnectDelays;
  #logLevel;
  #wallet;
  #batcher;
  #connection = null;
  #listeners = new Map();
  #shownOnThisConnection = new Set();
  #pendingFeedback = new Map();

  /**
   * @param {object} options
   * @param {string} options.baseUrl  The server, e.g. "https://engine.example.com".
   * @param {string} options.token    The shopper token from enrolment.
   * @param {"messagepack"|"json"} [options.protocol]  The hub protocol (MessagePack: smaller, the default).
   * @param {{getItem(k):any, setItem(k,v):any}} [options.storage]  Where the wallet is cached (localStorage, AsyncStorage...).
   * @param {number[]} [options.reconnectDelaysMs]  Waits between reconnection attempts; the last repeats forever.
   * @param {number} [options.reportIntervalMs]  At most one sightings report per this many ms (default 1000).
   * @param {typeof fetch} [options.fetch]  A fetch to use instead of the global one.
   */
  constructor({ baseUrl, token, protocol = "messagepack", storage, reconnectDelaysMs = DEFAULT_RECONNECT_DELAYS_MS, reportIntervalMs = 1000, fetch: fetchImpl, logLevel = LogLevel.Warning } = {}) {
    if (!baseUrl || !token) {
      throw new TypeError("baseUrl and token are required");
    }

    if (protocol !== "messagepack" && protocol !== "json") {
      throw new TypeError('protocol is "messagepack" or "json"');
    }

    this.#baseUrl = String(baseUrl).replace(/\/+$/, "");
    this.#token = token;
    this.#protocol = protocol;
    this.#fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
    this.#reconnectDelays = reconnectDelaysMs.length > 0 ? reconnectDelaysMs : DEFAULT_RECONNECT_DELAYS_MS;
    this.#logLevel = logLevel;
    this.#wallet = new WalletCache(storage ?? new MemoryStorage());
    this.#batcher = new SightingBatcher((report) => this.#sendReport(report), { intervalMs: reportIntervalMs });
  }

  /** "disconnected", "connecting", "connected", "reconnecting" or "disconnecting". */
  get state() {
    return (this.#connection?.state ?? HubConnectionState.Disconnected).toLowerCase();
  }

  /**
   * Listens to "coupon" (coupon, { redelivered }), "connected", "reconnecting" (error), "reconnected" and
   * "disconnected" (error). Returns a function that stops listening.
   */
  on(event, handler) {
    if (!this.#listeners.has(event)) {
      this.#listeners.set(event, new Set());
    }

    this.#listeners.get(event).add(handler);
    return () => this.#listeners.get(event)?.delete(handler);
  }

  /** Opens the live channel; every coupon not yet acknowledged arrives right after. Rejects if the server cannot be reached. */
  async connect() {
    await this.#wallet.load();
    if (this.#connection === null) {
      this.#connection = this.#build();
    }

    if (this.#connection.state === HubConnectionState.Disconnected) {
      this.#shownOnThisConnection.clear();
      await this.#connection.start();
      this.#emit("connected");
      await this.#sendPendingFeedback().catch(() => {});
    }
  }

  /** Closes the live channel; coupons issued meanwhile wait in the server's wallet for the next connect(). */
  async disconnect() {
    await this.#connection?.stop();
  }

  /** Closes everything: the channel and the sightings batcher (readings not yet sent are dropped). */
  async close() {
    this.#batcher.close();
    await this.disconnect();
  }

  /** The shopper's live coupons from the local cache, newest first (works offline). */
  wallet() {
    return this.#wallet.live();
  }

  /** Reloads the wallet from the server and returns it. */
  async refreshWallet() {
    await this.#wallet.load();
    const body = await this.#request("GET", "/api/v1/me/wallet");
    await this.#wallet.replace(body.coupons);
    return this.#wallet.live();
  }

  /** Tells the server the coupon reached the shopper; until then it is sent again on every connect. */
  ack(couponId) {
    return this.#feedback(couponId, "Ack", "delivered");
  }

  /** The shopper dismissed the coupon. */
  dismiss(couponId) {
    return this.#feedback(couponId, "Dismiss", "dismissed");
  }

  /** The shopper marked the coupon not relevant: it closes, and the store sends no more of its category. */
  async notRelevant(couponId) {
    await this.#request("POST", `/api/v1/me/coupons/${encodeURIComponent(couponId)}/not-relevant`);
    await this.#wallet.setStatus(couponId, "dismissed");
  }

  /** The beacon region to monitor for the shopper's store: { uuid, identifier }, or null while it has no beacons. */
  async beaconRegion() {
    try {
      return await this.#request("GET", "/api/v1/me/beacon-region");
    } catch (error) {
      if (error instanceof BeaconEngineError && error.status === 404) {
        return null;
      }

      throw error;
    }
  }

  /**
   * Queues beacons the phone ranged (one reading or an array: { uuid, major, minor, rssi, accuracy?, timestamp? }
   * or the wire shape { ts, rssi, ibeacon }) and resolves with the receipt of the report that carried them
   * ({ accepted, dropped, rejected }). Reports go at most once a second, over the hub when connected, else HTTP.
   */
  reportSightings(readings) {
    return this.#batcher.add(readings);
  }

  /** Region monitoring said the phone entered or left the store's beacon region; an exit leaves the store at once. */
  reportRegion(event, ts = Date.now()) {
    return this.#batcher.region(event, ts);
  }

  /** Sends queued readings as soon as the once-a-second pace allows. */
  flushSightings() {
    return this.#batcher.flush();
  }

  #build() {
    let builder = new HubConnectionBuilder()
      .withUrl(this.#baseUrl + HUB_PATH, {
        accessTokenFactory: () => this.#token,
        transport: HttpTransportType.WebSockets,
        skipNegotiation: true,
      })
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (context) => this.#reconnectDelays[Math.min(context.previousRetryCount, this.#reconnectDelays.length - 1)],
      })
      .configureLogging(this.#logLevel);
    if (this.#protocol === "messagepack") {
      builder = builder.withHubProtocol(new MessagePackHubProtocol());
    }

    const connection = builder.build();
    connection.on("coupon", (coupon) => this.#onCoupon(coupon));
    connection.onreconnecting((error) => {
      this.#shownOnThisConnection.clear();
      this.#emit("reconnecting", error);
    });
    connection.onreconnected(async () => {
      this.#emit("reconnected");
      await this.#sendPendingFeedback().catch(() => {});
    });
    connection.onclose((error) => this.#emit("disconnected", error));
    return connection;
  }

  async #onCoupon(coupon) {
    const known = this.#wallet.get(coupon.couponId);
    const pending = this.#pendingFeedback.get(coupon.couponId);
    if (pending) {
      // Acknowledged or dismissed here while offline: the server learns it now rather than showing it again.
      await this.#sendPendingFeedback().catch(() => {});
      return;
    }

    await this.#wallet.put({ ...coupon, status: "issued" });

    // Each connection sends every coupon not yet acknowledged; show it once per connection, not twice.
    if (this.#shownOnThisConnection.has(coupon.couponId)) {
      return;
    }

    this.#shownOnThisConnection.add(coupon.couponId);
    this.#emit("coupon", this.#wallet.get(coupon.couponId), { redelivered: known !== undefined });
  }

  async #feedback(couponId, method, status) {
    await this.#wallet.setStatus(couponId, status);
    this.#pendingFeedback.set(couponId, method);
    if (this.#connection?.state === HubConnectionState.Connected) {
      await this.#sendPendingFeedback();
    }
  }

  async #sendPendingFeedback() {
    for (const [couponId, method] of [...this.#pendingFeedback]) {
      if (this.#connection?.state !== HubConnectionState.Connected) {
        return;
      }

      try {
        await this.#connection.invoke(method, couponId);
        this.#pendingFeedback.delete(couponId);
      } catch (error) {
        if (this.#connection?.state === HubConnectionState.Connected) {
          // The server refused it (no such coupon): nothing to retry.
          this.#pendingFeedback.delete(couponId);
          throw new BeaconEngineError(404, String(error?.message ?? error));
        }
      }
    }
  }

  async #sendReport(report) {
    if (this.#connection?.state === HubConnectionState.Connected) {
      try {
        return await this.#connection.invoke("ReportSightings", report);
      } catch (error) {
        const message = String(error?.message ?? error);
        const status = /(\d{3}) [A-Za-z ]+:/.exec(message);
        if (status) {
          throw new BeaconEngineError(Number(status[1]), message);
        }

        if (this.#connection?.state === HubConnectionState.Connected) {
          throw error;
        }

        // The connection dropped under the call: HTTP carries it instead.
      }
    }

    return this.#request("POST", "/api/v1/me/sightings", report);
  }

  async #request(method, path, body) {
    const response = await this.#fetch(this.#baseUrl + path, {
      method,
      headers: {
        Authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text.length > 0 ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new BeaconEngineError(response.status, parsed?.detail ?? `${method} ${path} answered ${response.status}`, parsed?.title);
    }

    return parsed;
  }

  #emit(event, ...args) {
    for (const handler of this.#listeners.get(event) ?? []) {
      try {
        handler(...args);
      } catch {
        // A listener's failure is the app's; it must not break the channel.
      }
    }
  }
}
