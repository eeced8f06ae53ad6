// The live page: connects back to its own origin over MQTT-over-WebSockets, anonymously and
// read-only, and renders weewx-mqtt packets. Values are written with textContent only.
import { parsePacket, IMPERIAL, METRIC, compass, dewpointC, feelsLikeC, pressureTrend } from "./weewx.js";
import { Charts } from "./charts.js";
import { Explorer } from "./explorer.js";
import { DEFAULT_RANGE, findRange } from "./ranges.js";

const params = new URLSearchParams(location.search);
const TOPIC = params.get("topic") || "weather/loop";
// Belchertown's disconnect_live_website_visitor: stop after this long without the viewer touching the
// page (minutes; 0 or ?stayconnected=1 disables). Stale after this long without data (minutes).
const IDLE_MINUTES = params.get("stayconnected") === "1" ? 0 : Number(params.get("idle") ?? 30);
const STALE_MINUTES = Number(params.get("stale") ?? 5);
const $ = id => document.getElementById(id);
let units = localStorage.getItem("vane.units") === "metric" ? METRIC : IMPERIAL;
let last = null;
let lastAt = 0;
const updatedAt = {};
let attempt = 0;
let connected = false;
let client = null;
let stopped = false;
// The broker refused the subscription to TOPIC: say so until a new connection tries again, instead
// of letting the next tick (or a late history answer) put "waiting for data" back.
let refused = false;
// A packet on TOPIC that could not be read: shown until the next good one (or until the data is stale).
let skipped = null;
let lastActivity = Date.now();
const otherTopics = new Set();
const charts = new Charts(() => units);
const explorer = new Explorer(document.getElementById("explorer"));

function showTab(topics) {
  $("tab-topics").setAttribute("aria-selected", String(topics));
  $("tab-weather").setAttribute("aria-selected", String(!topics));
  $("explorer").hidden = !topics;
  $("weather").hidden = topics;
  if (client && connected) {
    if (topics) explorer.start(client); else explorer.stop(client);
  }
}
$("tab-topics").addEventListener("click", () => showTab(true));
$("tab-weather").addEventListener("click", () => showTab(false));

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
  const feels = last.appTemp ?? (last.outTemp === undefined ? undefined
    : feelsLikeC(last.outTemp, last.outHumidity, last.windSpeed ?? 0));
  $("appTemp").textContent = fmt(t(feels), 1, u.tempUnit);
  $("outHumidity").textContent = fmt(last.outHumidity, 0, "%");
  const dew = last.dewpoint ?? (last.outTemp === undefined || last.outHumidity === undefined ? undefined
    : dewpointC(last.outTemp, last.outHumidity));
  $("dewpoint").textContent = fmt(t(dew), 1, u.tempUnit);
  const change = charts.change("barometer", 3 * 3600);
  $("pressureTrend").textContent = change === undefined ? "\u00a0"
    : pressureTrend(change) + " (" + (change >= 0 ? "+" : "") + fmt(u.pressure(1013.25 + change) - u.pressure(1013.25),
      u === IMPERIAL ? 2 : 1, u.pressureUnit) + " in 3 h)";
  $("barometer").textContent = fmt(last.barometer === undefined ? undefined : u.pressure(last.barometer),
    u === IMPERIAL ? 2 : 1, u.pressureUnit);
  $("windSpeed").textContent = fmt(last.windSpeed === undefined ? undefined : u.wind(last.windSpeed), 1, u.windUnit);
  $("windGust").textContent = fmt(last.windGust === undefined ? undefined : u.wind(last.windGust), 1, u.windUnit);
  $("windDir").textContent = last.windDir === undefined ? "—" : compass(last.windDir);
  $("rainRate").textContent = fmt(last.rainRate === undefined ? undefined : u.rain(last.rainRate), 2, u.rainUnit + "/h");
  $("dayRain").textContent = fmt(last.dayRain === undefined ? undefined : u.rain(last.dayRain), 2, u.rainUnit);
  $("radiation").textContent = fmt(last.radiation, 0, "W/m²");
  $("UV").textContent = fmt(last.UV, 1, "");
  for (const [card, field] of [["outTemp", "outTemp"], ["outHumidity", "outHumidity"], ["barometer", "barometer"],
    ["windSpeed", "windSpeed"], ["rainRate", "rainRate"], ["radiation", "radiation"]]) {
    const at = updatedAt[field];
    const el = $(card).closest("article").querySelector(".when");
    if (el) el.textContent = at ? "updated " + new Date(at).toLocaleTimeString() : "";
  }
}

function tick() {
  if (!connected || refused) return;
  if (IDLE_MINUTES > 0 && Date.now() - lastActivity > IDLE_MINUTES * 60000) {
    stop();
    return;
  }
  if (!last && skipped) {
    setStatus(skipped, "warn");
    return;
  }
  if (!last) {
    const hint = otherTopics.size ? "; traffic seen on " + [...otherTopics].join(", ") : "";
    setStatus("Connected — waiting for data on " + TOPIC + hint);
    return;
  }
  const age = Math.round((Date.now() - lastAt) / 1000);
  if (age > STALE_MINUTES * 60) setStatus("Stale — no data for " + Math.max(1, Math.round(age / 60)) + " minutes", "warn");
  else if (skipped) setStatus(skipped, "warn");
  else setStatus("Live — updated " + age + " s ago");
  $("updated").textContent = new Date(lastAt).toLocaleTimeString();
}

$("units").addEventListener("click", () => {
  units = units === IMPERIAL ? METRIC : IMPERIAL;
  localStorage.setItem("vane.units", units === METRIC ? "metric" : "imperial");
  render();
  charts.redraw();
});

/** Idle viewer: disconnect, and offer to resume (the status line is the button). */
function stop() {
  stopped = true;
  connected = false;
  try { client.disconnect(); } catch (e) { /* already closed */ }
  setStatus("Stopped after " + IDLE_MINUTES + " min idle — click to resume", "warn");
}

for (const ev of ["mousemove", "keydown", "touchstart", "scroll", "visibilitychange"]) {
  addEventListener(ev, () => { lastActivity = Date.now(); }, { passive: true });
}
$("status").addEventListener("click", () => {
  if (stopped) { stopped = false; lastActivity = Date.now(); setStatus("Connecting…"); connect(); }
});
$("status").addEventListener("keydown", e => { if (e.key === "Enter") $("status").click(); });

/** One packet (aggregate or a single field): merge, remember when each value changed, redraw. */
function receive(packet) {
  if (packet.archive) return;
  if (!last && !explorer.open && client) {
    try { client.unsubscribe("#"); } catch (e) { /* not subscribed */ }
  }
  skipped = null;
  last = { ...(last || {}), ...packet };
  lastAt = Date.now();
  for (const k of Object.keys(packet)) updatedAt[k] = lastAt;
  charts.append(Date.now() / 1000, packet);
  render();
  tick();
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  client = new Paho.Client(scheme + location.host + "/mqtt", "page-" + Math.random().toString(16).slice(2, 10));
  client.onMessageArrived = m => {
    explorer.onMessage(m);
    if (m.destinationName === "$SYS/broker/vane/simulated_weather") {
      $("simulated").hidden = false;
      return;
    }
    const base = TOPIC.slice(0, TOPIC.lastIndexOf("/") + 1);
    const field = m.destinationName.startsWith(base) ? m.destinationName.slice(base.length) : "";
    if (m.destinationName !== TOPIC && /^[A-Za-z]+_?[A-Za-z_]*$/.test(field) && field !== "archive"
        && !Number.isNaN(Number(m.payloadString)) && m.payloadString.trim() !== "") {
      // weewx-mqtt's individual mode: one scalar per field on weather/<field>.
      receive(parsePacket(JSON.stringify({ [field]: m.payloadString })));
      return;
    }
    if (m.destinationName !== TOPIC) {
      // Only while waiting: which topics do have traffic, as a hint.
      if (otherTopics.size < 5) otherTopics.add(m.destinationName);
      return;
    }
    try {
      receive(parsePacket(m.payloadString));
    } catch (e) {
      skipped = "Skipped a packet on " + m.destinationName + " that is not JSON: " + e.message;
      setStatus(skipped, "warn");
    }
  };
  client.onConnectionLost = r => {
    connected = false;
    if (stopped) return;
    retry("connection lost (" + (r.errorMessage || "closed") + ") — a proxy in front of Vane may not forward"
      + " WebSocket upgrades, or Vane stopped");
  };
  client.connect({
    timeout: 10, keepAliveInterval: 30, useSSL: location.protocol === "https:",
    onSuccess: () => {
      attempt = 0;
      connected = true;
      refused = false;
      client.subscribe(TOPIC, { qos: 0,
        onFailure: () => {
          refused = true;
          setStatus("Failed: not authorised to read " + TOPIC + " — check the broker's ACL", "bad");
        } });
      client.subscribe("$SYS/broker/vane/simulated_weather", { qos: 0 });
      if (!last) client.subscribe("#", { qos: 0 });
      if (TOPIC.includes("/")) client.subscribe(TOPIC.slice(0, TOPIC.lastIndexOf("/") + 1) + "+", { qos: 0 });
      if (explorer.open) explorer.start(client);
      tick();
    },
    onFailure: e => retry("could not connect (" + e.errorMessage + ") — is Vane running and port " + location.port
      + " reachable?"),
  });
}

function retry(why) {
  attempt++;
  const wait = Math.min(60, 2 ** Math.min(attempt, 6));
  if (attempt > 3) {
    // Several tries in a row failed: say so plainly, with what to check, and keep trying.
    setStatus("Failed: cannot reach Vane at " + location.host + "/mqtt (" + why + ") — check that Vane is running,"
      + " that port " + location.port + " is open, and that a proxy in front forwards WebSocket upgrades;"
      + " trying again in " + wait + " s", "bad");
  } else {
    setStatus("Reconnecting (attempt " + attempt + ", next in " + wait + " s): " + why, "warn");
  }
  setTimeout(connect, wait * 1000);
}

function loadHistory(range) {
  charts.load(TOPIC, range).catch(e => { if (!refused) setStatus("History not available: " + e.message, "warn"); });
}

/** The range buttons: one pressed at a time; choosing one asks Vane for that range. */
function chooseRange(id) {
  for (const b of document.querySelectorAll(".ranges [data-range]")) {
    b.setAttribute("aria-pressed", String(b.dataset.range === id));
  }
  $("charts").setAttribute("aria-label", findRange(id).title);
  loadHistory(id);
}
for (const b of document.querySelectorAll(".ranges [data-range]")) {
  b.addEventListener("click", () => { if (b.getAttribute("aria-pressed") !== "true") chooseRange(b.dataset.range); });
}

render();
setInterval(tick, 1000);
// ?range=week opens on that range.
chooseRange(findRange(params.get("range")) ? params.get("range") : DEFAULT_RANGE);
connect();
