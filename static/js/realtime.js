// One websocket per tab at /ws/, shared by every feature on the page (see
// docs/realtime-protocol.md). Modules are loaded once per page, so importing this file
// from several scripts still opens a single socket.

const listeners = new Map();
const onConnectCallbacks = new Set();
let socket = null;
let delay = 1000;
// The server says hello once the socket is ready for frames. A socket that opens but never
// says hello (a server stuck mid-handshake with its channel layer) is dropped and retried.
const HELLO_TIMEOUT = 5000;
const SIGNED_OUT_RELOAD_DELAY = 1500;

export function on(type, callback) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(callback);
}

export function send(frame) {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

// Runs now if connected, and again after every reconnect (subscriptions must be renewed).
export function onConnect(callback) {
  onConnectCallbacks.add(callback);
  if (document.body.dataset.realtime === "connected") callback();
}

function emit(type, event) {
  for (const callback of listeners.get(type) ?? []) callback(event);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws/`);
  const current = socket;
  const helloTimer = setTimeout(() => current.close(), HELLO_TIMEOUT);
  socket.addEventListener("message", (message) => {
    let event;
    try { event = JSON.parse(message.data); } catch { return; }
    if (typeof event?.type !== "string") return;
    if (event.type === "access_changed") {
      // The member lost a room or a thread this page shows (a new role, a removal): the
      // page as the server now renders it tells them what is left.
      location.reload();
      return;
    }
    if (event.type === "hello") {
      clearTimeout(helloTimer);
      delay = 1000;
      document.body.dataset.realtime = "connected";
      emit("connection", { connected: true });
      for (const callback of onConnectCallbacks) callback();
    }
    emit(event.type, event);
  });
  socket.addEventListener("close", (closed) => {
    clearTimeout(helloTimer);
    if (closed.code === 4401) {
      // Signed out (logout elsewhere, a new password, deactivation): the page would only
      // show what the member may no longer read. Reloading brings the login page. Not at
      // once: when this tab itself is logging out, the socket closes while the logout is
      // still being answered, and its own navigation (which ends this timer) must win.
      setTimeout(() => location.reload(), SIGNED_OUT_RELOAD_DELAY);
      return;
    }
    document.body.dataset.realtime = "disconnected";
    emit("connection", { connected: false });
    // Exponential backoff with jitter, so a restarted server is not stampeded.
    setTimeout(connect, delay + Math.random() * delay);
    delay = Math.min(delay * 2, 30000);
  });
}

if (document.body.hasAttribute("data-member")) connect();
