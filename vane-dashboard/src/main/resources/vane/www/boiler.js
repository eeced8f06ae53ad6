// The boiler page: an OpenTherm gateway live from opentherm/# (Vane's OTGW source), charts that start full
// from /api/history, and a setpoint control for a user the ACL lets write opentherm/set/#. The user's name
// and password go into that one MQTT connection and nowhere else: not the page, not local storage.
// Values go into the DOM with textContent only.
import { DayCharts } from "./daycharts.js";
import { live, wsUrl } from "./live.js";
const params = new URLSearchParams(location.search);
const PREFIX = params.get("prefix") || "opentherm";
const $ = id => document.getElementById(id);
const ROOM = ["room_temperature", "room_setpoint"];
const WATER = ["flow_temperature", "return_temperature"];
const ANSWER_MS = 8000;

const charts = new DayCharts([{ id: "chart-room", keys: ROOM, labels: ["Room", "Setpoint"] },
  { id: "chart-water", keys: WATER, labels: ["Flow", "Return"] }]);
const now = {};
let control = null; // the logged-in connection, or null
let waiting = null; // { name, timer } of the command awaiting its result

function setStatus(text, kind = "") {
  $("status").textContent = text;
  $("status").className = kind;
}

function num(v) {
  const n = Number(v);
  return v === undefined || v === null || v === "" || Number.isNaN(n) ? null : n;
}

function fmt(v, digits, unit) {
  const n = num(v);
  return n === null ? "—" : n.toFixed(digits) + " " + unit;
}

function onOff(v, on, off) {
  return v === undefined ? "—" : v === "true" || v === true ? on : off;
}

function render() {
  $("flame").textContent = onOff(now.flame, "On", "Off");
  $("modulation").textContent = fmt(now.relative_modulation, 0, "%");
  $("ch").textContent = onOff(now.ch_active, "Heating", now.ch_enable === "false" ? "Off" : "Idle");
  $("dhw").textContent = onOff(now.dhw_active, "running", "idle");
  $("room").textContent = fmt(now.room_temperature, 1, "°C");
  $("setpoint").textContent = fmt(now.room_setpoint, 1, "°C");
  $("flow").textContent = fmt(now.flow_temperature, 1, "°C");
  $("return").textContent = fmt(now.return_temperature, 1, "°C");
  $("outside").textContent = fmt(now.outside_temperature, 1, "°C");
  $("pressure").textContent = fmt(now.ch_water_pressure, 1, "bar");
  $("fault").textContent = onOff(now.fault, "Fault", "None");
  $("dhw-temp").textContent = fmt(now.dhw_temperature, 1, "°C");
  document.body.dataset.flame = now.flame || "unknown";
  $("updated").textContent = new Date().toLocaleTimeString();
}




function gatewayState(state) {
  document.body.dataset.gateway = state;
  if (state === "offline") {
    setStatus("Gateway offline — Vane hears nothing from the OpenTherm gateway (cable, ser2net, its Wi-Fi?)", "bad");
  } else if (state === "online") {
    setStatus("Live — gateway online", "");
  }
}

function receive(topic, text) {
  if (topic === "$SYS/broker/vane/simulated_opentherm") { $("simulated").hidden = false; return; }
  if (topic === PREFIX + "/availability") { gatewayState(text); return; }
  if (topic === PREFIX + "/json") {
    charts.add(Date.now() / 1000, JSON.parse(text));
    return;
  }
  const name = topic.slice(PREFIX.length + 1);
  if (name.includes("/")) return; // thermostat/, gateway/, result/, set/
  now[name] = text;
  render();
}

function connect() {
  live({
    name: "boiler", receive, setStatus, waiting: "Connected — waiting for the gateway on " + PREFIX + "/#",
    topics: [{ filter: PREFIX + "/#", denied: "Not allowed to read " + PREFIX
      + "/# from here: boiler data is readable anonymously only from the home network (anonymous_home_data)" },
      { filter: "$SYS/broker/vane/simulated_opentherm" }],
  });
}

// ---- control: a second connection as the user who logged in ----------------------------------------

function commandNote(text, kind) {
  document.body.dataset.command = kind;
  $("command").hidden = false;
  $("command").textContent = text;
}

/** Sends PREFIX/set/NAME and waits for PREFIX/result/NAME; 3.1.1 cannot say "denied", so silence is refusal. */
function send(name, value, onResult) {
  if (waiting) clearTimeout(waiting.timer);
  const timer = setTimeout(() => {
    waiting = null;
    onResult({ ok: false, error: "no answer", reason: "nothing came back in " + ANSWER_MS / 1000
      + " s: this user may not write " + PREFIX + "/set/" + name + ", or the gateway is offline" });
  }, ANSWER_MS);
  waiting = { name, value, timer, onResult };
  const m = new Paho.Message(String(value));
  m.destinationName = PREFIX + "/set/" + name;
  m.qos = 1;
  control.send(m);
}

function result(topic, text) {
  if (!waiting || topic !== PREFIX + "/result/" + waiting.name) return;
  const r = JSON.parse(text);
  if (waiting.name === "ping" && r.answer !== waiting.value) return; // someone else's probe
  clearTimeout(waiting.timer);
  const done = waiting.onResult;
  waiting = null;
  done(r);
}

function login(event) {
  event.preventDefault();
  const user = $("user").value;
  const password = $("password").value;
  $("password").value = "";
  commandNote("Logging in as " + user + "…", "pending");
  const c = new Paho.Client(wsUrl(), "boiler-control-" + Math.random().toString(16).slice(2, 10));
  c.onMessageArrived = m => result(m.destinationName, m.payloadString);
  c.onConnectionLost = () => { if (control === c) logout("The control connection was lost; log in again."); };
  c.connect({
    timeout: 10, keepAliveInterval: 30, useSSL: location.protocol === "https:", userName: user, password,
    onSuccess: () => {
      control = c;
      $("user").value = "";
      c.subscribe(PREFIX + "/result/#", { qos: 1, onSuccess: () => {
        // The ACL decides at publish time; a probe the source answers without the gateway tells us now.
        const nonce = Math.random().toString(36).slice(2, 12);
        send("ping", nonce, r => {
          if (r.ok) {
            $("login").hidden = true;
            $("control").hidden = false;
            document.body.dataset.control = "shown";
            commandNote("Logged in as " + user + ": you may change the setpoint.", "ready");
          } else {
            logout("User " + user + " may not control the boiler (" + r.reason + ").");
          }
        });
      } });
    },
    onFailure: () => commandNote("Login refused: wrong user name or password.", "refused"),
  });
}

function logout(text) {
  const c = control;
  control = null;
  if (c) { try { c.disconnect(); } catch (e) { /* already gone */ } }
  $("login").hidden = false;
  $("control").hidden = true;
  document.body.dataset.control = "hidden";
  commandNote(text, text.startsWith("Logged out") ? "ready" : "refused");
}

function setpoint(value) {
  commandNote("Sending " + value + " °C…", "pending");
  send("setpoint", value, r => {
    if (r.ok) commandNote("Gateway accepted: " + r.answer, "accepted");
    else commandNote("Command refused (" + r.error + "): " + r.reason, "refused");
  });
}

$("login").addEventListener("submit", login);
$("control").addEventListener("submit", e => { e.preventDefault(); setpoint($("new-setpoint").value); });
$("resume").addEventListener("click", () => setpoint(0));
$("logout").addEventListener("click", () => logout("Logged out."));
$("set-topic").textContent = PREFIX + "/set/#";
addEventListener("resize", () => charts.draw());
charts.load(PREFIX + "/json").catch(e => { charts.draw(); setStatus("History not available: " + e.message, "warn"); }).finally(connect);
