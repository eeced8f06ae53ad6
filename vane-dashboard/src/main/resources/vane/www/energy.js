// The energy page: the smart meter live from dsmr/# (DSMR-reader's topics, published by Vane's P1 source),
// with charts that start full from /api/history. Values go into the DOM with textContent only.
import { live } from "./live.js";
const params = new URLSearchParams(location.search);
const PREFIX = params.get("prefix") || "dsmr";
const $ = id => document.getElementById(id);
const POWER = ["electricity_currently_delivered", "electricity_currently_returned"];
const VOLTS = ["phase_voltage_l1", "phase_voltage_l2", "phase_voltage_l3"];
const WINDOW = 24 * 3600;

const series = { times: [] };
for (const k of [...POWER, ...VOLTS]) series[k] = [];
const plots = [];
let last = null;
let lastAt = 0;

function setStatus(text, kind = "") {
  $("status").textContent = text;
  $("status").className = kind;
}

function num(v) {
  const n = Number(v);
  return v === undefined || v === null || Number.isNaN(n) ? null : n;
}

function fmt(v, digits, unit) {
  const n = num(v);
  return n === null ? "—" : n.toFixed(digits) + " " + unit;
}

/** "L1 0.070 · L2 0.032 · L3 0.142 kW" when the meter reports phases. */
function phases(p, base, digits, unit) {
  const parts = [1, 2, 3].map(i => num(p[base + i]) === null ? null : "L" + i + " " + num(p[base + i]).toFixed(digits))
    .filter(x => x);
  return parts.length ? parts.join(" · ") + " " + unit : "\u00a0";
}

function render(p) {
  $("power-in").textContent = fmt(p.electricity_currently_delivered, 3, "kW");
  $("power-out").textContent = fmt(p.electricity_currently_returned, 3, "kW");
  $("phases-in").textContent = phases(p, "phase_currently_delivered_l", 3, "kW");
  $("phases-out").textContent = phases(p, "phase_currently_returned_l", 3, "kW");
  $("gas-total").textContent = fmt(p.extra_device_delivered, 3, "m³");
  $("tariff").textContent = p.electricity_tariff_name === "low" ? "Low" : p.electricity_tariff ? "Normal" : "—";
  $("voltage").textContent = fmt(p.phase_voltage_l1, 1, "V");
  $("current").textContent = phases(p, "phase_voltage_l", 0, "V");
  $("updated").textContent = p.timestamp ? new Date(p.timestamp).toLocaleTimeString() : new Date().toLocaleTimeString();
}

function renderDay(d) {
  $("today-in").textContent = fmt(d.electricity_merged, 3, "kWh");
  $("today-out").textContent = fmt(d.electricity_returned_merged, 3, "kWh");
  $("today-gas").textContent = fmt(d.gas, 3, "m³");
}

function meterState(state) {
  document.body.dataset.meter = state;
  $("meter").textContent = state;
  if (state === "offline") {
    setStatus("Meter offline — Vane gets no telegrams from it (cable, converter or its Wi-Fi?)", "bad");
  } else if (state === "online" && last) {
    setStatus("Live — meter online", "");
  }
}

function telegramState(text) {
  document.body.dataset.lastTelegram = text;
  $("telegram-note").hidden = text === "ok";
  $("telegram-note").textContent = text === "ok" ? "" : "The last telegram was rejected (" + text
    + "); showing the last good one.";
}

function append(t, p) {
  series.times.push(t);
  for (const k of [...POWER, ...VOLTS]) series[k].push(num(p[k]));
  while (series.times.length && series.times[0] < t - WINDOW) {
    for (const k of Object.keys(series)) series[k].shift();
  }
}

function draw() {
  const width = el => Math.max(240, el.clientWidth - 8);
  const make = (id, keys, labels) => {
    const el = $(id);
    el.textContent = "";
    const opts = { width: width(el), height: 180, series: [{}, ...labels.map((l, i) => ({ label: l,
      stroke: ["#2463eb", "#16a34a", "#b45309"][i] }))], axes: [{}, {}] };
    plots.push(new uPlot(opts, [series.times, ...keys.map(k => series[k])], el));
  };
  plots.splice(0).forEach(p => p.destroy());
  make("chart-power", POWER, ["Import", "Export"]);
  make("chart-voltage", VOLTS, ["L1", "L2", "L3"]);
}

async function loadHistory() {
  const res = await fetch("/api/history?topic=" + encodeURIComponent(PREFIX + "/json") + "&range=day");
  if (!res.ok) throw new Error("HTTP " + res.status);
  const h = await res.json();
  h.times.forEach((t, i) => {
    const p = {};
    for (const k of Object.keys(h.series)) p[k] = h.series[k][i];
    append(t, p);
  });
  document.body.dataset.historyPoints = String(series.times.length);
  draw();
}

function receive(topic, text) {
  if (topic === "$SYS/broker/vane/simulated_p1") { $("simulated").hidden = false; return; }
  if (topic === PREFIX + "/availability") { meterState(text); return; }
  if (topic === PREFIX + "/meter-stats/last_telegram") { telegramState(text); return; }
  if (topic === PREFIX + "/day-consumption/json") { renderDay(JSON.parse(text)); return; }
  if (topic !== PREFIX + "/json") return;
  last = JSON.parse(text);
  lastAt = Date.now();
  render(last);
  append(Date.now() / 1000, last);
  plots.forEach((p, i) => p.setData([series.times, ...(i === 0 ? POWER : VOLTS).map(k => series[k])]));
  if (document.body.dataset.meter !== "offline") setStatus("Live — meter online", "");
}

function connect() {
  live({
    name: "energy", receive, setStatus, waiting: "Connected — waiting for the meter on " + PREFIX + "/json",
    topics: [{ filter: PREFIX + "/#", denied: "Not allowed to read " + PREFIX
        + "/# from here: meter data is readable anonymously only from the home network (anonymous_home_data)" },
      { filter: "$SYS/broker/vane/simulated_p1" }],
  });
}

setInterval(() => {
  if (last && Date.now() - lastAt > 60_000 && document.body.dataset.meter !== "offline") {
    setStatus("No telegram for " + Math.round((Date.now() - lastAt) / 1000) + " s", "warn");
  }
}, 1000);
addEventListener("resize", draw);
loadHistory().catch(e => { draw(); setStatus("History not available: " + e.message, "warn"); }).finally(connect);
