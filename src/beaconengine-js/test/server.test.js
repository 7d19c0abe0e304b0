// The SDK against a real BeaconEngine server. The server's test suite (JsSdkTests in BeaconEngine.Server.Tests)
// starts one and runs these with BEACONENGINE_URL and BEACONENGINE_ADMIN_KEY set; run them by hand the same way:
//   BEACONENGINE_URL=http://localhost:5080 BEACONENGINE_ADMIN_KEY=... npm test
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { BeaconEngineClient, advertisementAt } from "../src/index.js";

const baseUrl = process.env.BEACONENGINE_URL;
const adminKey = process.env.BEACONENGINE_ADMIN_KEY;
const storeId = `js-${randomUUID().slice(0, 12)}`;
const beaconUuid = randomUUID();
const keys = {};

async function api(key, method, path, body) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }

  return text.length > 0 ? JSON.parse(text) : null;
}

async function enrol() {
  const response = await fetch(`${baseUrl}/api/v1/shoppers`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ storeId, consent: { proximity: true, offers: true } }),
  });
  assert.equal(response.status, 201);
  return response.json();
}

/** Three sightings at -60 dBm half a second apart: the contract's rule places the shopper. */
function gatewaySightings(shopper, at) {
  const { uuid, major, minor } = shopper.advertisement;
  return [0, 500, 1000].map((d) => ({ ts: at + d, rssi: -60, ibeacon: { uuid, major, minor } }));
}

/** The next coupon the client shows, or a failure after `ms`. */
function nextCoupon(client, ms = 15000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error("no coupon arrived in time"));
    }, ms);
    const stop = client.on("coupon", (coupon, info) => {
      clearTimeout(timer);
      stop();
      resolve({ coupon, info });
    });
  });
}

before(async () => {
  assert.ok(baseUrl && adminKey, "set BEACONENGINE_URL and BEACONENGINE_ADMIN_KEY to a running server (dotnet test does)");
  await api(adminKey, "PUT", `/api/v1/stores/${storeId}`, {
    name: "SDK test store",
    // A shopper here gets a coupon in each aisle in quick succession, so no gap between coupons.
    contactPolicy: { minGapMinutes: 0 },
    zones: [
      { id: "dairy", name: "Dairy", neighbors: ["snacks"] },
      { id: "snacks", name: "Snacks", neighbors: ["dairy"] },
    ],
  });
  keys.gateway = (await api(adminKey, "POST", `/api/v1/stores/${storeId}/gateways`, { gatewayId: "gw-dairy", zoneId: "dairy" })).key;
  for (const [beaconId, zoneId, minor] of [["bk-dairy", "dairy", 1], ["bk-snacks", "snacks", 2]]) {
    await api(adminKey, "POST", `/api/v1/stores/${storeId}/beacons`, { beaconId, zoneId, ibeacon: { uuid: beaconUuid, major: 1, minor } });
  }

  const brand = await api(adminKey, "POST", "/api/v1/brands", { brandId: `brand-${storeId}`, name: "SDK brand" });
  for (const zone of ["dairy", "snacks"]) {
    await api(brand.key, "POST", "/api/v1/offers", {
      storeId,
      zoneIds: [zone],
      title: `10% off in ${zone}`,
      discount: { kind: "percent", value: 10 },
      holdoutShare: 0,
    });
  }
});

test("a coupon arrives and is acked; one issued while disconnected arrives on reconnect; an un-acked one comes again", async () => {
  const shopper = await enrol();
  const client = new BeaconEngineClient({ baseUrl, token: shopper.token });
  try {
    const live = nextCoupon(client);
    await client.connect();
    assert.equal(client.state, "connected");

    // A gateway hears the phone in dairy: the coupon is pushed live.
    await api(keys.gateway, "POST", "/api/v1/sightings", { sightings: gatewaySightings(shopper, Date.now() - 20000) });
    const { coupon, info } = await live;
    assert.equal(coupon.zoneId, "dairy");
    assert.equal(info.redelivered, false);
    assert.deepEqual(client.wallet().map((c) => c.couponId), [coupon.couponId]);
    await client.ack(coupon.couponId);
    let wallet = await api(shopper.token, "GET", "/api/v1/me/wallet");
    assert.equal(wallet.coupons.find((c) => c.couponId === coupon.couponId).status, "delivered");

    // Offline: the phone leaves dairy and ranges the snacks beacon; the report goes over HTTP and the coupon waits.
    await client.disconnect();
    const now = Date.now();
    const exit = client.reportRegion("exit", now - 6000);
    const ranged = client.reportSightings([0, 500, 1000].map((d) => ({ uuid: beaconUuid, major: 1, minor: 2, rssi: -58, timestamp: now - 3000 + d })));
    const [receipt] = await Promise.all([ranged, exit]);
    assert.equal(receipt.accepted, 3);
    wallet = await api(shopper.token, "GET", "/api/v1/me/wallet");
    const waiting = wallet.coupons.find((c) => c.zoneId === "snacks");
    assert.equal(waiting.status, "issued");

    // Back online: the waiting coupon arrives; the acked one does not come again.
    const redelivered = nextCoupon(client);
    await client.connect();
    const second = await redelivered;
    assert.equal(second.coupon.couponId, waiting.couponId);

    // Not acked, it comes again on the next connection, marked as seen before.
    await client.disconnect();
    const again = nextCoupon(client);
    await client.connect();
    const third = await again;
    assert.equal(third.coupon.couponId, waiting.couponId);
    assert.equal(third.info.redelivered, true);
    await client.dismiss(waiting.couponId);
    assert.deepEqual(client.wallet().map((c) => c.couponId), [coupon.couponId]);
  } finally {
    await client.close();
  }
});

test("reportSightings over the hub places the shopper by the phone alone, in either protocol", async () => {
  for (const protocol of ["messagepack", "json"]) {
    const shopper = await enrol();
    const client = new BeaconEngineClient({ baseUrl, token: shopper.token, protocol });
    try {
      const region = await client.beaconRegion();
      assert.equal(region.uuid, beaconUuid);
      const arriving = nextCoupon(client);
      await client.connect();
      const now = Date.now();
      const receipt = await client.reportSightings([0, 500, 1000].map((d) => ({ uuid: beaconUuid, major: 1, minor: 1, rssi: -61, accuracy: 0.9, timestamp: now - 2000 + d })));
      assert.deepEqual({ ...receipt, rejected: receipt.rejected.length }, { accepted: 3, dropped: 0, rejected: 0 });
      const { coupon } = await arriving;
      assert.equal(coupon.zoneId, "dairy");

      // Not relevant: the coupon closes on the server and leaves the local wallet.
      await client.notRelevant(coupon.couponId);
      assert.equal(client.wallet().length, 0);
      const wallet = await client.refreshWallet();
      assert.equal(wallet.length, 0);
    } finally {
      await client.close();
    }
  }
});

test("a bad report is an error that says what to fix", async () => {
  const shopper = await enrol();
  const client = new BeaconEngineClient({ baseUrl, token: shopper.token });
  try {
    await client.connect();
    await assert.rejects(
      client.reportSightings({ uuid: randomUUID(), major: 9, minor: 9, rssi: -60 }),
      (error) => error.status === 400 && /UUID/.test(error.message),
    );
  } finally {
    await client.close();
  }
});

test("in a rotating store the SDK derives the identity the server gives for each moment, and the server resolves it", async () => {
  const rotatingStore = `${storeId}-rot`;
  await api(adminKey, "PUT", `/api/v1/stores/${rotatingStore}`, {
    name: "SDK rotating store", identity: "rotating", rotationPeriodSeconds: 60, zones: [{ id: "dairy", name: "Dairy" }],
  });
  const gateway = (await api(adminKey, "POST", `/api/v1/stores/${rotatingStore}/gateways`, { gatewayId: "gw-rot", zoneId: "dairy" })).key;
  const response = await fetch(`${baseUrl}/api/v1/shoppers`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ storeId: rotatingStore, consent: { proximity: true, offers: true } }),
  });
  assert.equal(response.status, 201);
  const shopper = await response.json();
  assert.equal(shopper.rotation.periodSeconds, 60);
  assert.equal(shopper.rotation.scheme, "hmac-sha256-v1");

  const now = Date.now();
  for (const at of [now, now + 60_000, now + 3_600_000, now - 86_400_000]) {
    const mine = await advertisementAt(shopper.rotation, shopper.advertisement.uuid, at);
    const servers = await api(shopper.token, "GET", `/api/v1/me/advertisement?at=${at}`);
    assert.deepEqual(
      { major: mine.major, minor: mine.minor, validFrom: mine.validFrom.toISOString(), validUntil: mine.validUntil.toISOString() },
      { major: servers.major, minor: servers.minor, validFrom: new Date(servers.validFrom).toISOString(), validUntil: new Date(servers.validUntil).toISOString() },
    );
  }

  // What the phone broadcasts now, heard by the gateway, places this shopper.
  const ad = await advertisementAt(shopper.rotation, shopper.advertisement.uuid, now);
  const sightings = [0, 500, 1000].map((d) => ({ ts: now - 1500 + d, rssi: -60, ibeacon: { uuid: ad.uuid, major: ad.major, minor: ad.minor } }));
  const receipt = await api(gateway, "POST", "/api/v1/sightings", { gatewayId: "gw-rot", sightings });
  assert.equal(receipt.accepted, 3);
});
