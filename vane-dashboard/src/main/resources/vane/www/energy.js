// The energy page: the smart meter live from dsmr/# (DSMR-reader's topics, published by Vane's P1 source),
// with charts that start full from /api/history. Values go into the DOM with textContent only.
import { DayCharts } from "./daycharts.js";
import { live } from "./live.js";
const params = new URLSearchParams(location.search);
const PREFIX = params.get("prefix") || "dsmr";
const $ = id => document.getElementById(id);
const POWER = ["electricity_currently_delivered", "electricity_currently_returned"];
const VOLTS = ["phase_voltage_l1", "phase_voltage_l2", "phase_voltage_l3"];
const charts = new DayCharts([{ id: "chart-power", keys: POWER, labels: ["Import", "Export"] },
  { id: "chart-voltage", keys: VOLTS, labels: ["L1", "L2", "L3"] }]);
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




function receive(topic, text) {
  if (topic === "$SYS/broker/vane/simulated_p1") { $("simulated").hidden = false; return; }
  if (topic === PREFIX + "/availability") { meterState(text); return; }
  if (topic === PREFIX + "/meter-stats/last_telegram") { telegramState(text); return; }
  if (topic === PREFIX + "/day-consumption/json") { renderDay(JSON.parse(text)); return; }
  if (topic !== PREFIX + "/json") return;
  last = JSON.parse(text);
  lastAt = Date.now();
  render(last);
  charts.add(Date.now() / 1000, last);
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
addEventListener("resize", () => charts.draw());
charts.load(PREFIX + "/json").catch(e => { charts.draw(); setStatus("History not available: " + e.message, "warn"); }).finally(connect);
