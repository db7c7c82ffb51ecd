import net from "node:net";

/**
 * `forward` passes bytes both ways; `silent` is a partition: connections stay open, nothing arrives (what
 * is sent is held and delivered on healing, as TCP would retransmit it), new ones are accepted and never
 * answered; `reset` cuts every connection with RST and refuses new ones the same way.
 */
export type ProxyMode = "forward" | "silent" | "reset";

export interface TcpProxy {
  port: number;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  /** Absent for a connection accepted while silent: it was never forwarded. */
  upstream?: net.Socket;
  held: { to: net.Socket; data: Buffer }[];
}

/** A TCP proxy on 127.0.0.1 (port 0) in front of `target`, whose failures a test switches on and off. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "forward";
  const links = new Set<Link>();

  const cut = (link: Link) => {
    if (!links.delete(link)) return;
    link.client.resetAndDestroy();
    link.upstream?.destroy();
  };
  const send = (link: Link, to: net.Socket, data: Buffer) => {
    if (mode === "forward") to.write(data);
    else link.held.push({ to, data });
  };
  const connectUpstream = (link: Link) => {
    const upstream = net.connect(target.port, target.host);
    link.upstream = upstream;
    upstream.on("data", (data: Buffer) => send(link, link.client, data));
    upstream.on("error", () => cut(link));
    upstream.on("close", () => cut(link));
  };

  const server = net.createServer((client) => {
    if (mode === "reset") return void client.resetAndDestroy();
    const link: Link = { client, held: [] };
    links.add(link);
    client.on("data", (data: Buffer) => (link.upstream ? send(link, link.upstream, data) : undefined));
    client.on("error", () => cut(link));
    client.on("close", () => cut(link));
    if (mode === "forward") connectUpstream(link);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    port: (server.address() as net.AddressInfo).port,
    setMode(next) {
      mode = next;
      for (const link of [...links]) {
        if (next === "reset" || (next === "forward" && !link.upstream)) cut(link);
        else if (next === "forward") {
          for (const { to, data } of link.held.splice(0)) to.write(data);
        }
      }
    },
    async close() {
      for (const link of [...links]) cut(link);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
