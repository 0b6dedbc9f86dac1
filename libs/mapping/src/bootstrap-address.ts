// Bootstrap addresses are handed to Kafka clients verbatim; a malformed one would only surface
// as a connection failure far from the mapping that caused it.

// A bracketed IPv6 literal, or a hostname / IPv4 address.
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})$/;
const MAX_PORT = 65_535;

/** Why `address` is not a usable `host:port`, or undefined when it is. */
export function bootstrapAddressProblem(address: string): string | undefined {
  const match = HOST_PORT.exec(address);
  if (match === null) return `expected host:port, got ${JSON.stringify(address)}`;
  const port = Number(match[1]);
  if (port < 1 || port > MAX_PORT) {
    return `expected host:port with a port from 1 to ${MAX_PORT}, got ${JSON.stringify(address)}`;
  }
  return undefined;
}
