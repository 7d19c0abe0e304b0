// "@microsoft/signalr-protocol-msgpack" for the SDK, from the official browser bundle (signalr-protocol-msgpack.min.js,
// loaded after signalr.min.js), which adds itself as globalThis.signalR.protocols.msgpack.
const msgpack = globalThis.signalR?.protocols?.msgpack;
if (!msgpack) {
  throw new Error("signalr-protocol-msgpack.min.js must be loaded (as a classic script) before the app's modules");
}

export const { MessagePackHubProtocol, VERSION } = msgpack;
