// The SDK imports "@microsoft/signalr" as an ES module; the page's import map points that name here. The official
// browser bundle (signalr.min.js, a classic script the page loads first) sets globalThis.signalR: this re-exports it.
const signalR = globalThis.signalR;
if (!signalR) {
  throw new Error("signalr.min.js must be loaded (as a classic script) before the app's modules");
}

export const {
  AbortError,
  HttpError,
  TimeoutError,
  HubConnection,
  HubConnectionBuilder,
  HubConnectionState,
  HttpTransportType,
  TransferFormat,
  LogLevel,
  NullLogger,
  JsonHubProtocol,
  MessageType,
  Subject,
  VERSION,
} = signalR;
