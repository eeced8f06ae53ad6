// Node's built-in test runner: node --test src/test/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { RANGES, DEFAULT_RANGE, findRange, historyUrl, rangeNote } from "../../main/resources/vane/www/ranges.js";

test("the page offers the ranges the API takes, day first and by default", () => {
  assert.deepEqual(RANGES.map(r => r.id), ["day", "week", "month", "year"]);
  assert.equal(DEFAULT_RANGE, "day");
  assert.equal(findRange("decade"), undefined);
});

test("history requests name the topic and range, escaped", () => {
  assert.equal(historyUrl("weather/loop", "week"), "/api/history?topic=weather%2Floop&range=week");
  assert.equal(historyUrl("a&b", "day"), "/api/history?topic=a%26b&range=day");
});

test("a note only when Vane answered another range than asked", () => {
  assert.equal(rangeNote("week", "week"), "");
  assert.equal(rangeNote("day", "day"), "");
  assert.match(rangeNote("year", "day"), /only the last 24 hours \(persistence false\)/);
});
