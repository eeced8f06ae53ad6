// Pure functions for weewx-mqtt payloads: no DOM, so they can be tested on their own.
// weewx-mqtt sends values as strings with the unit in the key: outTemp_F, barometer_mbar, ...

const TO_METRIC = {
  F: v => (v - 32) * 5 / 9, C: v => v,
  inHg: v => v * 33.8638866667, mbar: v => v, hPa: v => v,
  mph: v => v * 1.609344, kph: v => v, mps: v => v * 3.6, knot: v => v * 1.852,
  in: v => v * 25.4, cm: v => v * 10, mm: v => v,
  inch_per_hour: v => v * 25.4, cm_per_hour: v => v * 10, mm_per_hour: v => v,
  Wpm2: v => v, kPa: v => v * 10, mmHg: v => v * 1.3332239,
};

/** Splits "outTemp_F" into ["outTemp", "F"]; the suffix may itself contain underscores. */
function splitKey(key) {
  for (const unit of Object.keys(TO_METRIC)) {
    if (key.endsWith("_" + unit)) return [key.slice(0, -unit.length - 1), unit];
  }
  return [key, null];
}

/**
 * Parses one weewx-mqtt aggregate packet into metric numbers: temperatures in °C, pressure in hPa,
 * wind in km/h, rain in mm and mm/h. Unknown or missing fields are simply absent.
 * Throws SyntaxError for text that is not a JSON object.
 */
export function parsePacket(text) {
  const raw = JSON.parse(text);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new SyntaxError("not a JSON object");
  const out = { archive: "interval_minute" in raw };
  for (const [key, value] of Object.entries(raw)) {
    const number = Number(value);
    if (value === null || value === "" || Number.isNaN(number)) continue;
    const [field, unit] = splitKey(key);
    out[field] = unit ? TO_METRIC[unit](number) : number;
  }
  return out;
}

export const IMPERIAL = {
  temp: c => c * 9 / 5 + 32, tempUnit: "°F", pressure: h => h / 33.8638866667, pressureUnit: "inHg",
  wind: k => k / 1.609344, windUnit: "mph", rain: mm => mm / 25.4, rainUnit: "in",
};
export const METRIC = {
  temp: c => c, tempUnit: "°C", pressure: h => h, pressureUnit: "hPa",
  wind: k => k, windUnit: "km/h", rain: mm => mm, rainUnit: "mm",
};

const COMPASS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"];

export function compass(degrees) {
  return COMPASS[Math.round(((degrees % 360) + 360) % 360 / 22.5) % 16];
}

/** Dew point in °C from temperature in °C and relative humidity in % (Magnus formula). */
export function dewpointC(tempC, humidity) {
  const g = Math.log(humidity / 100) + 17.62 * tempC / (243.12 + tempC);
  return 243.12 * g / (17.62 - g);
}

/**
 * Feels-like temperature in °C: wind chill below 10 °C with wind above 4.8 km/h, heat index above
 * 26.7 °C, else the temperature (NWS formulas, as weewx computes them).
 */
export function feelsLikeC(tempC, humidity, windKmh) {
  if (tempC <= 10 && windKmh > 4.8) {
    const v = Math.pow(windKmh, 0.16);
    return 13.12 + 0.6215 * tempC - 11.37 * v + 0.3965 * tempC * v;
  }
  if (tempC >= 26.7 && humidity !== undefined) {
    const t = tempC * 9 / 5 + 32, r = humidity;
    const hi = -42.379 + 2.04901523 * t + 10.14333127 * r - 0.22475541 * t * r - 0.00683783 * t * t
      - 0.05481717 * r * r + 0.00122874 * t * t * r + 0.00085282 * t * r * r - 0.00000199 * t * t * r * r;
    return (hi - 32) * 5 / 9;
  }
  return tempC;
}

/** Pressure trend words for a 3-hour change in hPa (WMO-style thresholds). */
export function pressureTrend(deltaHpa) {
  if (deltaHpa === undefined || Number.isNaN(deltaHpa)) return "";
  const a = Math.abs(deltaHpa);
  const dir = deltaHpa > 0 ? "rising" : "falling";
  if (a < 0.5) return "steady";
  if (a < 1.6) return dir + " slowly";
  if (a < 3.6) return dir;
  return dir + " quickly";
}
