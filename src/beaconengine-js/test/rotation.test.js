// The test vectors of docs/rotating-identities.md: the SDK derives what the server derives (the server's own tests,
// RotatingIdentityTests, check the same table; server.test.js compares the SDK with a live server's answers).
import { test } from "node:test";
import assert from "node:assert/strict";
import { deriveIdentity, periodOf, advertisementAt, ROTATION_SCHEME } from "../src/index.js";

const vectors = [
  ["000102030405060708090a0b0c0d0e0f", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 0, 34990, 46107, "08aeb41af9d11103"],
  ["000102030405060708090a0b0c0d0e0f", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 2946816, 39767, 3589, "9b560e048651824b"],
  ["000102030405060708090a0b0c0d0e0f", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 2946817, 54141, 37008, "537d908f980efd0a"],
  ["ffeeddccbbaa99887766554433221100", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 2946816, 63935, 15270, "79bf3ba5949a2368"],
  ["ffeeddccbbaa99887766554433221100", "5a4bcfce-174e-4bac-a814-092e77f6b7e5", 2946816, 57246, 22055, "5f9e562624389f17"],
  ["00000000000000000000000000000000", "00000000-0000-0000-0000-000000000000", -1, 47741, 50905, "ba7cc6d847eda208"],
];

for (const [secret, uuid, period, major, minor, eid] of vectors) {
  test(`rotation vector ${secret.slice(0, 4)} ${uuid.slice(0, 4)} period ${period}`, async () => {
    assert.deepEqual(await deriveIdentity(secret, uuid, period), { major, minor, eid });
  });
}

test("rotation periods are whole periods since the epoch", () => {
  assert.equal(periodOf(Date.parse("2026-01-11T00:00:00Z")), 2946816);
  assert.equal(periodOf(Date.parse("2026-01-11T00:09:59.999Z")), 2946816);
  assert.equal(periodOf(new Date("2026-01-11T00:10:00Z")), 2946817);
  assert.equal(periodOf(-1), -1);
  assert.equal(periodOf(Date.parse("2026-01-11T00:00:10Z"), 10), 176808961);
});

test("advertisementAt gives the period's identity and its bounds", async () => {
  const ad = await advertisementAt({ secret: "000102030405060708090a0b0c0d0e0f", periodSeconds: 600, scheme: ROTATION_SCHEME },
    "f7826da6-4fa2-4e98-8024-bc5b71e0893e", Date.parse("2026-01-11T00:05:00Z"));
  assert.equal(ad.major, 39767);
  assert.equal(ad.minor, 3589);
  assert.equal(ad.validFrom.toISOString(), "2026-01-11T00:00:00.000Z");
  assert.equal(ad.validUntil.toISOString(), "2026-01-11T00:10:00.000Z");
});

test("a secret or uuid that is not 16 bytes of hex is refused with what to fix", async () => {
  await assert.rejects(deriveIdentity("0011", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 0), /secret must be 16 bytes of hex/);
  await assert.rejects(deriveIdentity("000102030405060708090a0b0c0d0e0f", "not-a-uuid", 0), /uuid must be 16 bytes of hex/);
});
