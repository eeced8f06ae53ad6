// The read-only MQTT connection the device pages share: Paho over WebSocket to Vane itself, subscribe to
// the page's topics on connect, reconnect with a doubling wait. Messages go to receive(topic, text);
// a message that throws is skipped and said in the status line.
export function wsUrl() {
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/mqtt";
}

/**
 * Connects and stays connected.
 * @param {object} o name (client id prefix), topics ([{ filter, denied }]: denied is said when refused),
 *   receive(topic, text), setStatus(text, kind), waiting (the status once connected)
 */
export function live(o) {
  let attempt = 0;
  const connect = () => {
    const client = new Paho.Client(wsUrl(), o.name + "-" + Math.random().toString(16).slice(2, 10));
    client.onMessageArrived = m => {
      try {
        o.receive(m.destinationName, m.payloadString);
      } catch (e) {
        o.setStatus("Skipped a message on " + m.destinationName + ": " + e.message, "warn");
      }
    };
    client.onConnectionLost = () => retry();
    client.connect({
      timeout: 10, keepAliveInterval: 30, useSSL: location.protocol === "https:",
      onSuccess: () => {
        attempt = 0;
        o.setStatus(o.waiting);
        for (const t of o.topics) {
          client.subscribe(t.filter, { qos: 0, onFailure: () => { if (t.denied) o.setStatus(t.denied, "bad"); } });
        }
      },
      onFailure: () => retry(),
    });
  };
  const retry = () => {
    attempt++;
    const wait = Math.min(60, 2 ** Math.min(attempt, 6));
    o.setStatus("Reconnecting to Vane in " + wait + " s", "warn");
    setTimeout(connect, wait * 1000);
  };
  connect();
}
