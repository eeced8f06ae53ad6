// The live page: connects back to its own origin over MQTT-over-WebSockets, anonymously and
// read-only, and renders weewx-mqtt packets. Values are written with textContent only.
import { parsePacket, IMPERIAL, METRIC, compass } from "./weewx.js";
import { Charts } from "./charts.js";

const TOPIC = new URLSearchParams(location.search).get("topic") || "weather/loop";
const $ = id => document.getElementById(id);
let units = localStorage.getItem("vane.units") === "metric" ? METRIC : IMPERIAL;
let last = null;
let lastAt = 0;
let attempt = 0;
let connected = false;
const charts = new Charts(() => units);

function setStatus(text, kind = "") {
  const s = $("status");
  s.textContent = text;
  s.className = kind;
}

function fmt(v, digits, unit) {
  return v === undefined ? "—" : v.toFixed(digits) + (unit ? " " + unit : "");
}

function render() {
  $("units").textContent = units === IMPERIAL ? "°F / mph" : "°C / km/h";
  if (!last) return;
  const u = units;
  const t = v => v === undefined ? undefined : u.temp(v);
  $("outTemp").textContent = fmt(t(last.outTemp), 1, u.tempUnit);
  $("appTemp").textContent = fmt(t(last.appTemp ?? last.heatindex), 1, u.tempUnit);
  $("outHumidity").textContent = fmt(last.outHumidity, 0, "%");
  $("dewpoint").textContent = fmt(t(last.dewpoint), 1, u.tempUnit);
  $("barometer").textContent = fmt(last.barometer === undefined ? undefined : u.pressure(last.barometer),
    u === IMPERIAL ? 2 : 1, u.pressureUnit);
  $("windSpeed").textContent = fmt(last.windSpeed === undefined ? undefined : u.wind(last.windSpeed), 1, u.windUnit);
  $("windGust").textContent = fmt(last.windGust === undefined ? undefined : u.wind(last.windGust), 1, u.windUnit);
  $("windDir").textContent = last.windDir === undefined ? "—" : compass(last.windDir);
  $("rainRate").textContent = fmt(last.rainRate === undefined ? undefined : u.rain(last.rainRate), 2, u.rainUnit + "/h");
  $("dayRain").textContent = fmt(last.dayRain === undefined ? undefined : u.rain(last.dayRain), 2, u.rainUnit);
  $("radiation").textContent = fmt(last.radiation, 0, "W/m²");
  $("UV").textContent = fmt(last.UV, 1, "");
}

function tick() {
  if (!connected) return;
  if (!last) {
    setStatus("Connected — waiting for data on " + TOPIC);
    return;
  }
  const age = Math.round((Date.now() - lastAt) / 1000);
  if (age > 300) setStatus("Stale — no data for " + Math.round(age / 60) + " minutes", "warn");
  else setStatus("Live — updated " + age + " s ago");
  $("updated").textContent = new Date(lastAt).toLocaleTimeString();
}

$("units").addEventListener("click", () => {
  units = units === IMPERIAL ? METRIC : IMPERIAL;
  localStorage.setItem("vane.units", units === METRIC ? "metric" : "imperial");
  render();
  charts.redraw();
});

function connect() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const client = new Paho.Client(scheme + location.host + "/mqtt", "page-" + Math.random().toString(16).slice(2, 10));
  client.onMessageArrived = m => {
    if (m.destinationName === "$SYS/broker/vane/simulated_weather") {
      $("simulated").hidden = false;
      return;
    }
    try {
      const packet = parsePacket(m.payloadString);
      if (packet.archive) return;
      last = { ...(last || {}), ...packet };
      lastAt = Date.now();
      charts.append(Date.now() / 1000, packet);
      render();
      tick();
    } catch (e) {
      setStatus("Skipped a packet on " + m.destinationName + " that is not JSON: " + e.message, "warn");
    }
  };
  client.onConnectionLost = r => {
    connected = false;
    retry("connection lost (" + (r.errorMessage || "closed") + ")");
  };
  client.connect({
    timeout: 10, keepAliveInterval: 30, useSSL: location.protocol === "https:",
    onSuccess: () => {
      attempt = 0;
      connected = true;
      client.subscribe(TOPIC, { qos: 0,
        onFailure: () => setStatus("Failed: not authorised to read " + TOPIC + " — check the broker's ACL", "bad") });
      client.subscribe("$SYS/broker/vane/simulated_weather", { qos: 0 });
      tick();
    },
    onFailure: e => retry("could not connect (" + e.errorMessage + ") — is Vane running and port " + location.port
      + " reachable?"),
  });
}

function retry(why) {
  attempt++;
  const wait = Math.min(60, 2 ** Math.min(attempt, 6));
  setStatus("Reconnecting (attempt " + attempt + ", next in " + wait + " s): " + why, "warn");
  setTimeout(connect, wait * 1000);
}

render();
setInterval(tick, 1000);
charts.load(TOPIC).catch(e => setStatus("History not available: " + e.message, "warn"));
connect();
