// Node's built-in test runner: node --test src/test/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePacket, IMPERIAL, METRIC, compass } from "../../main/resources/vane/www/weewx.js";

const close = (actual, expected, eps = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= eps, `${actual} is not ${expected}`);

test("US packet (usUnits 1) becomes metric inside", () => {
  const p = parsePacket(JSON.stringify({ usUnits: "1", outTemp_F: "68.0", barometer_inHg: "29.92",
    windSpeed_mph: "10", rain_in: "0.01", rainRate_inch_per_hour: "0.5", dayRain_in: "1" }));
  close(p.outTemp, 20);
  close(p.barometer, 29.92 * 33.8638866667);
  close(p.windSpeed, 16.09344);
  close(p.rain, 0.254);
  close(p.rainRate, 12.7);
  close(p.dayRain, 25.4);
  assert.equal(p.archive, false);
});

test("METRIC (16, rain in cm) and METRICWX (17, rain in mm, wind in m/s)", () => {
  const m = parsePacket('{"usUnits": "16", "outTemp_C": "-3.5", "barometer_mbar": "1001", "rain_cm": "0.1", "windSpeed_kph": "12"}');
  close(m.outTemp, -3.5);
  close(m.barometer, 1001);
  close(m.rain, 1);
  close(m.windSpeed, 12);
  const wx = parsePacket('{"usUnits": "17", "rain_mm": "0.2", "windSpeed_mps": "5", "rainRate_mm_per_hour": "3", "windGust_knot": "10"}');
  close(wx.rain, 0.2);
  close(wx.windSpeed, 18);
  close(wx.rainRate, 3);
  close(wx.windGust, 18.52);
});

test("archive records carry interval_minute", () => {
  assert.equal(parsePacket('{"interval_minute": "5.0", "outTemp_F": "50"}').archive, true);
});

test("missing and empty fields are absent; malformed JSON throws", () => {
  const p = parsePacket('{"outTemp_F": "", "outHumidity": "N/A"}');
  assert.equal("outTemp" in p, false);
  assert.equal("outHumidity" in p, false);
  assert.throws(() => parsePacket("{not json"), SyntaxError);
  assert.throws(() => parsePacket("[1,2]"), SyntaxError);
});

test("display conversions are exact both ways", () => {
  close(IMPERIAL.temp(100), 212);
  close(IMPERIAL.temp(-40), -40);
  close(IMPERIAL.pressure(1013.25), 29.9212, 1e-4);
  close(IMPERIAL.wind(1.609344), 1);
  close(IMPERIAL.rain(25.4), 1);
  close(METRIC.temp(21.5), 21.5);
  for (const v of [-40, 0, 37.5]) {
    close(parsePacket(JSON.stringify({ outTemp_F: String(IMPERIAL.temp(v)) })).outTemp, v, 1e-9);
  }
});

test("compass points", () => {
  assert.equal(compass(0), "N");
  assert.equal(compass(359), "N");
  assert.equal(compass(270), "W");
  assert.equal(compass(22.5), "NNE");
  assert.equal(compass(-90), "W");
});

import { dewpointC, feelsLikeC, pressureTrend } from "../../main/resources/vane/www/weewx.js";

test("dew point, feels-like and pressure trend", () => {
  close(dewpointC(20, 50), 9.26, 0.05);
  close(dewpointC(30, 100), 30, 1e-9);
  // NWS wind chill: -10 °C at 30 km/h feels like about -19.5 °C.
  close(feelsLikeC(-10, 50, 30), -19.5, 0.2);
  // NWS heat index: 32 °C (89.6 °F) at 70 % feels like about 40.7 °C (105 °F).
  close(feelsLikeC(32, 70, 0), 40.7, 0.5);
  close(feelsLikeC(18, 60, 10), 18);
  assert.equal(pressureTrend(0.2), "steady");
  assert.equal(pressureTrend(-1), "falling slowly");
  assert.equal(pressureTrend(2.5), "rising");
  assert.equal(pressureTrend(-4), "falling quickly");
});

test("solar radiation and other pressure units", () => {
  const p = parsePacket('{"radiation_Wpm2": "640", "UV": "5.8", "barometer_kPa": "101.3", "pressure_mmHg": "760"}');
  close(p.radiation, 640);
  close(p.UV, 5.8);
  close(p.barometer, 1013);
  close(p.pressure, 1013.25, 0.01);
});
