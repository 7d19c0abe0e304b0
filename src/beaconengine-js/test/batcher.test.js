import { test } from "node:test";
import assert from "node:assert/strict";
import { SightingBatcher, toSighting, MAX_PENDING_READINGS } from "../src/index.js";

/** A clock and timers the test moves by hand, so pacing is checked without waiting. */
function manualClock() {
  let now = 1_000_000;
  const timers = [];
  return {
    now: () => now,
    setTimer: (fn, ms) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => timers.splice(timers.indexOf(timer), 1),
    async advance(ms) {
      now += ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) {
          break;
        }

        timers.splice(timers.indexOf(due), 1);
        due.fn();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

const beacon = (minor, rssi = -60) => ({ uuid: "F7826DA6-4FA2-4E98-8024-BC5B71E0893E", major: 1, minor, rssi, accuracy: 1.2 });

test("readings become the report's items; iOS's rssi 0 (not measured) is left out", () => {
  assert.deepEqual(toSighting(beacon(3), 42), {
    ts: 42,
    rssi: -60,
    ibeacon: { uuid: "f7826da6-4fa2-4e98-8024-bc5b71e0893e", major: 1, minor: 3 },
    accuracy: 1.2,
  });
  assert.equal(toSighting({ ...beacon(3), rssi: 0 }), null);
  assert.deepEqual(toSighting({ ts: 7, rssi: -70, ibeacon: { uuid: "a", major: 2, minor: 5 } }).ibeacon, { uuid: "a", major: 2, minor: 5 });
  assert.throws(() => toSighting(null), TypeError);
});

test("ranging at 10 Hz is sent as at most one report a second, each carrying everything queued", async () => {
  const clock = manualClock();
  const sent = [];
  const batcher = new SightingBatcher(async (report) => {
    sent.push({ at: clock.now(), items: report.sightings.length });
    return { accepted: report.sightings.length, dropped: 0, rejected: [] };
  }, clock);

  const receipts = [];
  for (let i = 0; i < 30; i++) {
    receipts.push(batcher.add([beacon(1), beacon(2)]));
    await clock.advance(100);
  }

  await clock.advance(2000);
  const results = await Promise.all(receipts);

  assert.ok(sent.length >= 3 && sent.length <= 4, `sent ${sent.length} reports`);
  for (let i = 1; i < sent.length; i++) {
    assert.ok(sent[i].at - sent[i - 1].at >= 1000, `reports ${i - 1} and ${i} were ${sent[i].at - sent[i - 1].at} ms apart`);
  }

  assert.equal(sent.reduce((n, s) => n + s.items, 0), 60);
  assert.equal(results[0].accepted, sent[0].items);
});

test("a region exit rides the next report, and a failed send rejects its readings' promises", async () => {
  const clock = manualClock();
  const reports = [];
  const batcher = new SightingBatcher(async (report) => {
    reports.push(report);
    if (reports.length === 2) {
      throw new Error("offline");
    }

    return { accepted: 0, dropped: 0, rejected: [] };
  }, clock);

  const first = batcher.add(beacon(1));
  await clock.advance(0);
  await first;
  const exit = assert.rejects(batcher.region("exit", 123), /offline/);
  const second = assert.rejects(batcher.add(beacon(2)), /offline/);
  await clock.advance(1000);
  await exit;
  await second;
  assert.deepEqual(reports[1].region, { event: "exit", ts: 123 });
  assert.equal(reports[1].sightings.length, 1);
});

test("a backlog keeps the newest readings only", async () => {
  const clock = manualClock();
  let items = 0;
  const batcher = new SightingBatcher(async (report) => {
    items = report.sightings.length;
    return null;
  }, clock);
  const readings = Array.from({ length: MAX_PENDING_READINGS + 50 }, (_, i) => ({ ...beacon(i % 60000), ts: i }));
  const sent = batcher.add(readings);
  await clock.advance(0);
  await sent;
  assert.equal(items, MAX_PENDING_READINGS);
});
